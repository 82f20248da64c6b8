import { openMerge } from './merge-store.js';

/** "Merge into…": opens the merge dialog for the branch through this message. */
export function MergeButton({ sessionId, messageId, disabled = false }: { sessionId: string; messageId: string; disabled?: boolean }) {
  return (
    <button type="button" className="link" disabled={disabled} onClick={() => openMerge(sessionId, messageId)} data-testid="merge-into">
      Merge into…
    </button>
  );
}
