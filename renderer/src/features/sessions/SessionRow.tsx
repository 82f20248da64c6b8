import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Session } from '../../../../shared/index.js';
import { PencilIcon, PinIcon, TrashIcon } from '../../app/icons.js';
import { ExportChatButton } from '../export/ExportChatButton.js';
import { useSessions } from './sessions-store.js';

/** Moves focus to the chat above or below (Arrow keys), among the rows on screen. */
function focusNeighbour(from: HTMLElement, step: 1 | -1): void {
  const titles = [...(from.closest('.session-list')?.querySelectorAll<HTMLElement>('.session-title') ?? [])];
  const next = titles[titles.indexOf(from) + step];
  next?.focus();
  next?.scrollIntoView({ block: 'nearest' });
}

/** One chat in the sidebar: open it, and pin, rename or delete it by mouse (buttons on hover) or keyboard (Tab, F2, Delete). */
export function SessionRow({ session, active, onSelect }: { session: Session; active: boolean; onSelect(): void }) {
  const { rename, remove, pin } = useSessions();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(session.title);
  const input = useRef<HTMLInputElement>(null);
  const pinned = session.pinnedAt !== null;

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const startRename = () => {
    setDraft(session.title);
    setEditing(true);
  };
  const commit = () => {
    setEditing(false);
    const title = draft.trim();
    if (title && title !== session.title) void rename(session.id, title);
    else setDraft(session.title);
  };
  const onTitleKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'F2') startRename();
    else if (event.key === 'Delete') void remove(session.id);
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') focusNeighbour(event.currentTarget, event.key === 'ArrowDown' ? 1 : -1);
    else return;
    event.preventDefault();
  };

  return (
    <div className={`session-row${active ? ' active' : ''}`} data-testid="session-row">
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
              event.preventDefault();
              setDraft(session.title);
              setEditing(false);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className="session-title"
          onClick={onSelect}
          onDoubleClick={startRename}
          onKeyDown={onTitleKey}
          title={session.title}
          aria-current={active ? 'page' : undefined}
          aria-keyshortcuts="F2 Delete"
        >
          {session.title}
        </button>
      )}
      <div className="session-actions">
        <button
          type="button"
          className="icon"
          aria-label={`${pinned ? 'Unpin' : 'Pin'} ${session.title}`}
          title={pinned ? 'Unpin' : 'Pin to the top'}
          aria-pressed={pinned}
          onClick={() => void pin(session.id, !pinned)}
          data-testid="pin-session"
        >
          <PinIcon filled={pinned} />
        </button>
        <ExportChatButton session={session} />
        <button type="button" className="icon" aria-label={`Rename ${session.title}`} title="Rename (F2)" onClick={startRename} data-testid="rename-session">
          <PencilIcon />
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`Delete ${session.title}`}
          title="Delete (Del)"
          onClick={() => void remove(session.id)}
          data-testid="delete-session"
        >
          <TrashIcon />
        </button>
      </div>
    </div>
  );
}
