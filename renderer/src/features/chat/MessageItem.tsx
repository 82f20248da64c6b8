import { memo, useState } from 'react';
import type { Message } from '../../../../shared/index.js';
import { Markdown } from '../markdown/Markdown.js';
import { useNavigation } from '../../app/navigation.js';
import { AnswerSteps, callsNeedingYou } from '../steps/AnswerSteps.js';
import { StepsToggle } from '../steps/StepsPanel.js';
import { usePanel } from '../steps/steps-open-store.js';
import { messageReasoning, messageText, useChat, type ToolCallView, type UnavailableTools } from './chat-store.js';
import { EditMessage } from './EditMessage.js';
import { MessageActions, SiblingNav } from './MessageActions.js';
import { PinnedMarker } from './PinToggle.js';
import { ToolCalls } from './ToolCalls.js';
import { RecalledList } from './RecalledList.js';
import { UsageLine } from '../usage/UsageLine.js';
import { EvaluationSummaryLine } from './ToolCallEvaluation.js';
import { OriginBadge } from '../merge/OriginBadge.js';

interface Props {
  message: Message;
  streaming: boolean;
  notice: string | null;
  unavailable: UnavailableTools | undefined;
  toolCalls: ToolCallView[] | undefined;
  files: string[] | undefined;
  /** The message's saved alternatives (itself included), when it has any. */
  siblings: string[] | undefined;
  onRetry(messageId: string): void;
}

export const MessageItem = memo(function MessageItem({ message, streaming, notice, unavailable, toolCalls, files, siblings, onRetry }: Props) {
  const [editing, setEditing] = useState(false);
  const text = messageText(message);
  const reasoning = messageReasoning(message);
  const isUser = message.role === 'user';
  const stepCount = useChat((s) => s.steps[message.id]?.length ?? 0);
  const recall = useChat((s) => s.recalls[message.id]);
  // While the Steps panel is open it shows the reasoning and the calls; the compact views keep only what needs the user.
  const stepsOpen = usePanel(message.id).open && !isUser;
  const compactCalls = stepsOpen ? callsNeedingYou(toolCalls) : toolCalls;
  return (
    <article className={`message message-${message.role}`} data-testid={`message-${message.role}`} data-status={message.status} data-pinned={message.pinned}>
      <header className="message-meta">
        <span className="message-role">{isUser ? 'You' : (message.model ?? 'Assistant')}</span>
        {!isUser && message.provider ? <span className="message-provider">{message.provider}</span> : null}
        {message.pinned ? <PinnedMarker /> : null}
        {message.origin ? <OriginBadge origin={message.origin} /> : null}
        {siblings ? <SiblingNav message={message} siblings={siblings} /> : null}
        {!isUser && !streaming ? <EvaluationSummaryLine calls={toolCalls} /> : null}
        {!isUser ? <UsageLine message={message} /> : null}
        {!isUser ? <StepsToggle messageId={message.id} steps={stepCount} calls={toolCalls?.length ?? 0} /> : null}
      </header>
      {!isUser ? <AnswerSteps messageId={message.id} calls={toolCalls} streaming={streaming} /> : null}
      {!isUser ? <RecalledList recall={recall} /> : null}
      {reasoning && !stepsOpen ? (
        <details className="message-reasoning">
          <summary>Reasoning</summary>
          <pre>{reasoning}</pre>
        </details>
      ) : null}
      {files?.length ? (
        <div className="message-files" data-testid="message-files">
          {files.map((name) => (
            <span key={name} className="chip">
              {name}
            </span>
          ))}
        </div>
      ) : null}
      {unavailable?.length ? <UnavailableNote servers={unavailable} /> : null}
      {compactCalls?.length ? <ToolCalls calls={compactCalls} /> : null}
      {editing ? (
        <EditMessage message={message} onDone={() => setEditing(false)} />
      ) : (
        <div className="message-body" data-testid="message-text">
          {isUser ? <p className="user-text">{text}</p> : <Markdown id={message.id} text={text} streaming={streaming} />}
          {streaming && !text ? (
            <span className="typing" aria-label="Waiting for the answer">
              •••
            </span>
          ) : null}
        </div>
      )}
      {notice ? (
        <div className="message-note" role="status" data-testid="message-notice">
          {notice}
        </div>
      ) : null}
      {message.route.length > 1 ? <RouteNote message={message} /> : null}
      {message.status === 'error' ? (
        <div className="message-error" role="alert" data-testid="message-error">
          <span>{message.error?.message ?? 'The answer failed.'}</span>
          <button type="button" onClick={() => onRetry(message.id)} data-testid="retry">
            Retry
          </button>
        </div>
      ) : null}
      {message.status === 'interrupted' ? (
        <div className="message-note">
          <span>Stopped before the end.</span>
          <button type="button" className="link" onClick={() => onRetry(message.id)}>
            Answer again
          </button>
        </div>
      ) : null}
      {editing ? null : <MessageActions message={message} streaming={streaming} onEdit={() => setEditing(true)} />}
    </article>
  );
});

/** Tool servers the model could not use for this answer: a missing tool is never silent, and the fix is one click away. */
function UnavailableNote({ servers }: { servers: UnavailableTools }) {
  const show = useNavigation((s) => s.show);
  return (
    <div className="message-note message-note-warn" role="status" data-testid="tools-unavailable">
      {servers.map((s) => (
        <span key={s.server} title={s.message}>
          {s.signInNeeded
            ? `${s.label} needs you to sign in, so its tools were not available. `
            : `${s.label} was not available for this answer (${s.message}). `}
        </span>
      ))}
      <button type="button" className="link" onClick={() => show('settings')}>
        Open Settings › Tools
      </button>
    </div>
  );
}

/** Which providers were tried before this answer, so a fallback is never silent. */
function RouteNote({ message }: { message: Message }) {
  const failed = message.route.filter((step) => step.error);
  return (
    <div className="message-note" data-testid="message-route">
      {failed.map((step) => `${step.provider} · ${step.model} failed (${step.error?.message ?? 'error'})`).join('; ')}
      {message.status === 'complete' ? `; answered by ${message.provider} · ${message.model}.` : '.'}
    </div>
  );
}
