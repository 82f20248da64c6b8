import { format } from 'date-fns';
import { useState } from 'react';
import type { Session } from '../../../../shared/index.js';
import { RestoreIcon, TrashIcon } from '../../app/icons.js';
import { useSessions } from './sessions-store.js';
import { useTrash } from './trash-store.js';

/** The trash: deleted chats, most recent first, to restore (it opens again) or delete for good after a confirmation. */
export function TrashList() {
  const { items, nextCursor, loading, error, hide, loadMore, empty } = useTrash();
  const [confirmEmpty, setConfirmEmpty] = useState(false);

  return (
    <div className="trash" data-testid="trash">
      <div className="trash-header">
        <button type="button" className="link" onClick={hide} data-testid="close-trash">
          ‹ Chats
        </button>
        <h2>Trash</h2>
      </div>
      {items.length > 0 ? (
        confirmEmpty ? (
          <div className="trash-confirm" role="group" aria-label="Empty the trash">
            <span>Delete {items.length === 1 && !nextCursor ? 'this chat' : 'every chat here'} for good?</span>
            <button type="button" className="danger" onClick={() => void empty().then(() => setConfirmEmpty(false))} data-testid="confirm-empty-trash">
              Delete forever
            </button>
            <button type="button" onClick={() => setConfirmEmpty(false)} autoFocus>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="trash-empty-button" onClick={() => setConfirmEmpty(true)} data-testid="empty-trash">
            Empty trash
          </button>
        )
      ) : null}
      <ul className="trash-list" aria-label="Deleted chats">
        {items.map((session) => (
          <TrashRow key={session.id} session={session} />
        ))}
      </ul>
      {!loading && items.length === 0 ? <p className="session-empty">The trash is empty.</p> : null}
      {nextCursor ? (
        <button type="button" className="link" onClick={() => void loadMore()}>
          Show more
        </button>
      ) : null}
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

function TrashRow({ session }: { session: Session }) {
  const { restore, purge } = useTrash();
  const { apply, select } = useSessions();
  const [confirming, setConfirming] = useState(false);
  const deleted = session.deletedAt === null ? '' : format(session.deletedAt, 'd MMM yyyy, HH:mm');

  const onRestore = async () => {
    const restored = await restore(session.id);
    if (!restored) return;
    apply(restored);
    select(restored.id);
  };

  return (
    <li className="trash-row" data-testid="trash-row">
      <div className="trash-row-text">
        <span className="trash-title" title={session.title}>
          {session.title}
        </span>
        <span className="trash-when">Deleted {deleted}</span>
      </div>
      {confirming ? (
        <div className="trash-row-confirm">
          <button type="button" className="danger" onClick={() => void purge(session.id)} data-testid="confirm-purge" autoFocus>
            Delete forever
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="trash-row-actions">
          <button
            type="button"
            className="icon"
            aria-label={`Restore ${session.title}`}
            title="Restore"
            onClick={() => void onRestore()}
            data-testid="restore-session"
          >
            <RestoreIcon />
          </button>
          <button
            type="button"
            className="icon"
            aria-label={`Delete ${session.title} for good`}
            title="Delete forever"
            onClick={() => setConfirming(true)}
            data-testid="purge-session"
          >
            <TrashIcon />
          </button>
        </div>
      )}
    </li>
  );
}
