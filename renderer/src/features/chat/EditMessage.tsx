import { useState } from 'react';
import type { Message } from '../../../../shared/index.js';
import { editAndResend } from './branch-actions.js';
import { messageText } from './chat-store.js';

/** A question rewritten in place and sent as a new branch beside the original (Ctrl/Cmd+Enter sends, Escape cancels). */
export function EditMessage({ message, onDone }: { message: Message; onDone(): void }) {
  const [text, setText] = useState(messageText(message));
  const send = async () => {
    if (text.trim() && (await editAndResend(message, text))) onDone();
  };
  return (
    <div className="edit-message">
      <textarea
        autoFocus
        rows={Math.min(12, Math.max(2, text.split('\n').length))}
        value={text}
        aria-label="Edit your message"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            onDone();
          }
        }}
        data-testid="edit-text"
      />
      <div className="approval-buttons">
        <button type="button" className="primary" disabled={!text.trim()} onClick={() => void send()} data-testid="edit-send">
          Send as a new branch
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
