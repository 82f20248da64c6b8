import { memo } from 'react';
import type { ContextEntry, ContextStatus } from '../../../../shared/index.js';

/** How each status reads in the list (the builder's words for where a message went). */
export const CONTEXT_STATUS_LABEL: Record<ContextStatus, string> = {
  in: 'Sent',
  pinned: 'Pinned',
  compressed: 'Shortened',
  'left-out': 'Left out',
  summarized: 'Summarized',
  recalled: 'Recalled',
};

const n = (value: number) => value.toLocaleString();

/**
 * The messages the next request chooses from, newest first, each with where it goes, who wrote it, its tokens and
 * the start of its text (and, for a recalled one, the chat it is in); pressing one shows it in its conversation.
 * Memoized: typing in the composer re-renders the gauge at every keystroke, never these rows.
 */
export const ContextMessageList = memo(function ContextMessageList({ entries, onJump }: { entries: ContextEntry[]; onJump: (entry: ContextEntry) => void }) {
  if (entries.length === 0) return null;
  return (
    <ol className="context-messages" aria-label="Messages, newest first" data-testid="context-messages">
      {entries.toReversed().map((entry) => (
        <li key={entry.messageId}>
          <button
            type="button"
            className="context-message"
            data-testid="context-message"
            data-status={entry.status}
            title={entry.recalledFrom ? `Open this message in the chat “${entry.recalledFrom.sessionTitle}”` : 'Show this message in the conversation'}
            onClick={() => onJump(entry)}
          >
            <span className={`context-status context-status-${entry.status}`}>{CONTEXT_STATUS_LABEL[entry.status]}</span>
            <span className="context-message-meta">
              {entry.role === 'user' ? 'You' : 'Answer'} · {entry.status === 'compressed' ? `${n(entry.sentTokens)} of ${n(entry.tokens)}` : n(entry.tokens)}{' '}
              tokens
            </span>
            <span className="context-message-excerpt">{entry.excerpt || '(no text)'}</span>
            {entry.recalledFrom ? (
              <span className="context-message-chat" data-testid="context-message-chat">
                In the chat “{entry.recalledFrom.sessionTitle}”
              </span>
            ) : null}
          </button>
        </li>
      ))}
    </ol>
  );
});
