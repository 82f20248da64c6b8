import { useEffect } from 'react';
import { cancelBranching } from './branch-actions.js';
import { useChat } from './chat-store.js';
import './branch.css';

/** Above the composer while "Branch from here" is on: the next message starts a new branch; Cancel goes back. */
export function BranchNotice() {
  const branching = useChat((s) => s.branching);
  useEffect(() => {
    // The user branched to write: the composer takes the focus (the action's button has left the screen anyway).
    if (branching) document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')?.focus();
  }, [branching]);
  if (!branching) return null;
  return (
    <div className="branch-notice" role="status" data-testid="branch-notice">
      <span>Replying after “{branching.excerpt}”: a new branch</span>
      <button type="button" className="link" onClick={() => void cancelBranching()} data-testid="cancel-branch">
        Cancel
      </button>
    </div>
  );
}
