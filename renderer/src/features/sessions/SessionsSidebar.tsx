import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../../../shared/index.js';
import { PencilIcon, TrashIcon } from '../../app/icons.js';
import { useNavigation } from '../../app/navigation.js';
import { useSessions } from './sessions-store.js';

export function SessionsSidebar() {
  const { sessions, activeId, loading, nextCursor, error, load, loadMore, startNew, select } = useSessions();
  const { view, show } = useNavigation();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <nav className="sidebar" aria-label="Chats">
      <div className="sidebar-top">
        <button type="button" className="new-chat" onClick={startNew} data-testid="new-chat">
          + New chat
        </button>
      </div>
      <ul
        className="session-list"
        data-testid="session-list"
        onScroll={(event) => {
          const el = event.currentTarget;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < 200) void loadMore();
        }}
      >
        {sessions.map((session) => (
          <SessionRow key={session.id} session={session} active={view === 'chat' && session.id === activeId} onSelect={() => select(session.id)} />
        ))}
        {!loading && sessions.length === 0 ? <li className="session-empty">No chats yet.</li> : null}
        {nextCursor ? (
          <li>
            <button type="button" className="link" onClick={() => void loadMore()}>
              Load more
            </button>
          </li>
        ) : null}
      </ul>
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="sidebar-bottom">
        <button type="button" className={`link-button${view === 'settings' ? ' active' : ''}`} onClick={() => show('settings')} data-testid="open-settings">
          Settings
        </button>
      </div>
      <UndoToast />
    </nav>
  );
}

function SessionRow({ session, active, onSelect }: { session: Session; active: boolean; onSelect(): void }) {
  const { rename, remove } = useSessions();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(session.title);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const commit = () => {
    setEditing(false);
    const title = draft.trim();
    if (title && title !== session.title) void rename(session.id, title);
    else setDraft(session.title);
  };

  return (
    <li className={`session-row${active ? ' active' : ''}`} data-testid="session-row">
      {editing ? (
        <input
          ref={input}
          className="session-rename"
          value={draft}
          maxLength={200}
          aria-label="Chat title"
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit();
            if (event.key === 'Escape') {
              setDraft(session.title);
              setEditing(false);
            }
          }}
        />
      ) : (
        <button type="button" className="session-title" onClick={onSelect} onDoubleClick={() => setEditing(true)} title={session.title}>
          {session.title}
        </button>
      )}
      <div className="session-actions">
        <button type="button" className="icon" aria-label={`Rename ${session.title}`} title="Rename" onClick={() => { setDraft(session.title); setEditing(true); }}>
          <PencilIcon />
        </button>
        <button type="button" className="icon" aria-label={`Delete ${session.title}`} title="Delete" onClick={() => void remove(session.id)} data-testid="delete-session">
          <TrashIcon />
        </button>
      </div>
    </li>
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
