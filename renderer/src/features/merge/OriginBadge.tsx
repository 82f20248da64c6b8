import { originLabel, type MessageOrigin } from '../../../../shared/index.js';
import { jumpTo } from '../search/jump.js';
import './merge.css';

/**
 * Where a merged message came from: "Merged from “Trip” · 3 Dec 2026" or "Summary of 4 messages from “Trip” · …". The
 * badge is a link to the source message (the first one a summary covers), opened on its branch in its chat.
 */
export function OriginBadge({ origin }: { origin: MessageOrigin }) {
  const target = origin.kind === 'copied' ? origin.messageId : origin.messageIds[0]!;
  const label = `${originLabel(origin)} · ${new Date(origin.mergedAt).toLocaleDateString()}`;
  return (
    <button
      type="button"
      className="origin-badge"
      title="Show where it came from"
      aria-label={`${label}. Show where it came from`}
      onClick={() => void jumpTo({ sessionId: origin.sessionId, messageId: target })}
      data-testid="origin-badge"
    >
      {label}
    </button>
  );
}
