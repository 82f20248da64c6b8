import { useEffect, useState } from 'react';
import type { Session } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Listing = { kind: 'loading' } | { kind: 'ready'; chats: Session[]; nextCursor: string | null } | { kind: 'error'; message: string };

const PAGE = 100;

/**
 * Picks some chats for an export: a title filter over the chat list (newest first, a page at a time) with a box per
 * chat. The selection is kept by id while the filter changes, so a user can gather chats from several searches.
 */
export function ChooseChats(props: { selected: ReadonlySet<string>; onChange: (selected: Set<string>) => void; disabled: boolean }) {
  const [query, setQuery] = useState('');
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });

  useEffect(() => {
    // The list shown stays until the new one arrives (no flash of "Loading" while typing).
    let current = true;
    // A short pause so typing a word asks for one list, not one per letter.
    const timer = setTimeout(() => {
      api
        .call('sessions.list', { limit: PAGE, ...(query.trim() ? { query: query.trim() } : {}) })
        .then((page) => current && setListing({ kind: 'ready', chats: page.items, nextCursor: page.nextCursor }))
        .catch((error: Error) => current && setListing({ kind: 'error', message: error.message }));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const loadMore = async (cursor: string, shown: Session[]) => {
    try {
      const page = await api.call('sessions.list', { limit: PAGE, cursor, ...(query.trim() ? { query: query.trim() } : {}) });
      setListing({ kind: 'ready', chats: [...shown, ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setListing({ kind: 'error', message: (error as Error).message });
    }
  };

  const toggle = (id: string, on: boolean) => {
    const next = new Set(props.selected);
    if (on) next.add(id);
    else next.delete(id);
    props.onChange(next);
  };
  const shown = listing.kind === 'ready' ? listing.chats : [];
  const allShownSelected = shown.length > 0 && shown.every((c) => props.selected.has(c.id));

  return (
    <fieldset className="choose-chats" disabled={props.disabled} data-testid="choose-chats">
      <legend>Choose chats</legend>
      <label className="field">
        <span>Filter by title</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="choose-chats-filter" />
      </label>
      {listing.kind === 'loading' ? <p className="hint">Loading chats…</p> : null}
      {listing.kind === 'error' ? (
        <p className="field-error" role="alert">
          Could not list chats: {listing.message}
        </p>
      ) : null}
      {listing.kind === 'ready' && shown.length === 0 ? (
        <p className="hint">{query.trim() ? 'No chat title contains that.' : 'There are no chats yet.'}</p>
      ) : null}
      {shown.length > 0 ? (
        <>
          <label className="choose-chats-all">
            <input
              type="checkbox"
              checked={allShownSelected}
              onChange={(e) => {
                const next = new Set(props.selected);
                for (const chat of shown) {
                  if (e.target.checked) next.add(chat.id);
                  else next.delete(chat.id);
                }
                props.onChange(next);
              }}
              data-testid="choose-chats-all"
            />
            <span>{allShownSelected ? 'Clear the chats shown' : `Select the ${shown.length} chat${shown.length === 1 ? '' : 's'} shown`}</span>
          </label>
          <ul className="choose-chats-list">
            {shown.map((chat) => (
              <li key={chat.id}>
                <label>
                  <input type="checkbox" checked={props.selected.has(chat.id)} onChange={(e) => toggle(chat.id, e.target.checked)} data-testid="choose-chat" />
                  <span className="choose-chats-title">{chat.title}</span>
                  <span className="hint">
                    {chat.messageCount} message{chat.messageCount === 1 ? '' : 's'} · {new Date(chat.updatedAt).toLocaleDateString()}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {listing.kind === 'ready' && listing.nextCursor ? (
            <button type="button" onClick={() => void loadMore(listing.nextCursor as string, shown)} data-testid="choose-chats-more">
              Show more chats
            </button>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}
