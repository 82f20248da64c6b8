import { useState } from 'react';
import type { Message } from '../../../../shared/index.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { TimingToggle } from '../trace/TimingToggle.js';
import { branchFromHere, deleteMessage, showSibling } from './branch-actions.js';
import { messageText, useChat } from './chat-store.js';
import { CopyAnswer, CopyQuestion } from './CopyAnswer.js';
import { FeedbackControls } from './FeedbackControls.js';
import { PinButton } from './PinToggle.js';
import { CompareWith, RerunButton } from '../compare/CompareEntry.js';
import { MergeButton } from '../merge/MergeButton.js';

/** ‹ 2/3 ›: the saved attempts of a message (regenerated answers, edited questions), failed and stopped ones too. */
export function SiblingNav({ message, siblings }: { message: Message; siblings: string[] }) {
  const index = siblings.indexOf(message.id);
  const go = (step: number) => {
    const target = siblings[index + step];
    if (target) void showSibling(target);
  };
  return (
    <span className="sibling-nav" role="group" aria-label="Saved attempts" data-testid="sibling-nav">
      <button type="button" className="icon" aria-label="Previous attempt" disabled={index <= 0} onClick={() => go(-1)} data-testid="sibling-previous">
        ‹
      </button>
      <span aria-live="polite" data-testid="sibling-position">
        {index + 1}/{siblings.length}
      </span>
      <button type="button" className="icon" aria-label="Next attempt" disabled={index >= siblings.length - 1} onClick={() => go(1)} data-testid="sibling-next">
        ›
      </button>
    </span>
  );
}

/**
 * Under a message: copy, edit (a question), pin, answer again (an answer, optionally with another model), branch from
 * an earlier answer, delete.
 */
export function MessageActions({ message, streaming, onEdit }: { message: Message; streaming: boolean; onEdit(): void }) {
  const retry = useChat((s) => s.retry);
  const busy = useChat((s) => Object.keys(s.live).length > 0);
  // Branching from the last message would change nothing: it is the tip already.
  const last = useChat((s) => s.messages.at(-1)?.id === message.id);
  const [confirming, setConfirming] = useState(false);
  if (streaming) return null;
  return (
    <div className="message-actions" data-testid="message-actions">
      {message.role === 'assistant' ? <CopyAnswer text={messageText(message)} /> : <CopyQuestion text={messageText(message)} />}
      {message.role === 'user' ? (
        <button type="button" className="link" disabled={busy} onClick={onEdit} data-testid="edit-message">
          Edit
        </button>
      ) : null}
      {message.role === 'assistant' ? <FeedbackControls message={message} /> : null}
      <PinButton message={message} />
      {message.role === 'assistant' ? (
        <>
          <TimingToggle messageId={message.id} traced={message.traceId !== null} />
          <button type="button" className="link" disabled={busy} onClick={() => void retry(message.id)} data-testid="regenerate">
            Answer again
          </button>
          {last ? null : (
            <button type="button" className="link" disabled={busy} onClick={() => void branchFromHere(message)} data-testid="branch-from-here">
              Branch from here
            </button>
          )}
          <RerunButton message={message} disabled={busy} />
          <CompareWith message={message} />
          {message.provider && message.model ? (
            <ModelPicker
              provider={message.provider}
              model={message.model}
              label="Answer again with"
              testId="regenerate-with"
              onChange={(provider, model) => void retry(message.id, { provider, model })}
            />
          ) : null}
        </>
      ) : null}
      <MergeButton sessionId={message.sessionId} messageId={message.id} disabled={busy} />
      {confirming ? (
        <span className="message-confirm">
          <button type="button" className="danger" onClick={() => void deleteMessage(message.id)} data-testid="confirm-delete-message">
            Delete this and what follows
          </button>
          <button type="button" className="link" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="link" disabled={busy} onClick={() => setConfirming(true)} data-testid="delete-message">
          Delete
        </button>
      )}
    </div>
  );
}
