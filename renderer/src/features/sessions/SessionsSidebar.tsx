import { useEffect } from 'react';
import { TrashIcon } from '../../app/icons.js';
import { useNavigation } from '../../app/navigation.js';
import { SessionList } from './SessionList.js';
import { useSessions } from './sessions-store.js';
import { TrashList } from './TrashList.js';
import { useTrash } from './trash-store.js';

export function SessionsSidebar() {
  const { error, query, load, setQuery, startNew } = useSessions();
  const { view, show } = useNavigation();
  const trash = useTrash();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <nav className="sidebar" aria-label="Chats">
      <div className="sidebar-top">
        <button type="button" className="new-chat" onClick={startNew} data-testid="new-chat">
          + New chat
        </button>
        {trash.open ? null : (
          <input
            type="search"
            className="session-filter"
            placeholder="Filter chats by title"
            aria-label="Filter chats by title"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Escape' || query === '') return;
              event.preventDefault();
              setQuery('');
            }}
            data-testid="session-filter"
          />
        )}
      </div>
      {trash.open ? <TrashList /> : <SessionList />}
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      {/* In the flow above Trash and Settings, so the undo offer never covers them. */}
      <UndoToast />
      <div className="sidebar-bottom">
        <button
          type="button"
          className={`link-button${trash.open ? ' active' : ''}`}
          aria-pressed={trash.open}
          onClick={() => void (trash.open ? trash.hide() : trash.show())}
          data-testid="open-trash"
        >
          <TrashIcon /> Trash
        </button>
        <button type="button" className={`link-button${view === 'settings' ? ' active' : ''}`} onClick={() => show('settings')} data-testid="open-settings">
          Settings
        </button>
      </div>
    </nav>
  );
}

const UNDO_MS = 8_000;

function UndoToast() {
  const { recentlyDeleted, undoRemove, dismissUndo } = useSessions();
  useEffect(() => {
    if (!recentlyDeleted) return;
    const timer = setTimeout(dismissUndo, UNDO_MS);
    return () => clearTimeout(timer);
  }, [recentlyDeleted, dismissUndo]);
  if (!recentlyDeleted) return null;
  return (
    <div className="toast" role="status" data-testid="undo-toast">
      <span>Deleted “{recentlyDeleted.title}”.</span>
      <button type="button" onClick={() => void undoRemove()} data-testid="undo-delete">
        Undo
      </button>
    </div>
  );
}
