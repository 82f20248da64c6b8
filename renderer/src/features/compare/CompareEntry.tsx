import type { Message } from '../../../../shared/index.js';
import { useChat } from '../chat/chat-store.js';
import { useCompare } from './compare-store.js';
import { useRerun } from './rerun-store.js';

/** "Re-run with models…" under an answer: opens the panel to pick the models. */
export function RerunButton({ message, disabled }: { message: Message; disabled: boolean }) {
  const openFor = useRerun((s) => s.openFor);
  return (
    <button type="button" className="link" disabled={disabled} onClick={() => openFor(message)} data-testid="rerun-with-models">
      Re-run with models…
    </button>
  );
}

/** "Compare with…" under an answer with saved attempts (‹ 2/3 ›): its branch against another attempt's. */
export function CompareWith({ message }: { message: Message }) {
  const siblings = useChat((s) => s.siblings[message.id]);
  const open = useCompare((s) => s.open);
  if (!siblings || siblings.length < 2) return null;
  return (
    <select
      className="compare-with"
      aria-label="Compare with another attempt"
      value=""
      onChange={(event) => {
        if (event.target.value) void open(message.sessionId, message.id, event.target.value);
      }}
      data-testid="compare-with"
    >
      <option value="">Compare with…</option>
      {siblings.map((id, i) =>
        id === message.id ? null : (
          <option key={id} value={id}>
            Attempt {i + 1} of {siblings.length}
          </option>
        ),
      )}
    </select>
  );
}
