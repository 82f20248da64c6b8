import { useEffect, useId, useRef, useState } from 'react';
import { useNavigation } from '../../app/navigation.js';
import { HitRow } from './HitRow.js';
import { jumpTo } from './jump.js';
import { useSearch } from './search-store.js';
import { useSearchResults } from './use-search-results.js';
import './search.css';

const PALETTE_LIMIT = 8;
const NO_FILTERS = {};

/** Ctrl/Cmd+K: search every chat as you type; arrows pick a hit, Enter opens it where it is, Escape closes. */
export function CommandPalette() {
  const open = useSearch((s) => s.paletteOpen);
  return open ? <Palette /> : null;
}

function Palette() {
  const close = useSearch((s) => s.closePalette);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useSearchResults(query, NO_FILTERS, PALETTE_LIMIT);
  const hits = results.state === 'done' || results.state === 'searching' ? results.hits : [];
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);
  useEffect(() => {
    input.current?.focus();
    const previous = returnFocus.current;
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected && !useSearch.getState().target) previous.focus();
    };
  }, []);

  // The last option opens the search view with this query, for more hits and filters.
  const count = hits.length + (query.trim() ? 1 : 0);
  // New results keep the pick in range (typing starts again from the first).
  const current = Math.max(0, Math.min(active, count - 1));
  const showAll = () => {
    useSearch.setState({ paletteOpen: false, viewQuery: query });
    useNavigation.getState().show('search');
  };
  const choose = (index: number) => {
    const hit = hits[index];
    if (hit) void jumpTo(hit);
    else if (index === hits.length && query.trim()) showAll();
  };

  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()} data-testid="palette-backdrop">
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Search all chats"
        // Escape closes the palette only: not also the drawer or a running answer behind it (see app/escape.ts).
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          close();
        }}
        data-testid="command-palette"
      >
        <input
          ref={input}
          className="palette-input"
          type="search"
          role="combobox"
          aria-expanded={count > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={count > 0 ? `${listId}-${current}` : undefined}
          aria-label="Search all chats"
          placeholder="Search all chats…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              if (count > 0) setActive((current + (e.key === 'ArrowDown' ? 1 : count - 1)) % count);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(current);
            }
          }}
          data-testid="palette-input"
        />
        <ul className="search-hits" role="listbox" id={listId} aria-label="Matching messages" data-testid="palette-results">
          {hits.map((hit, i) => (
            <li
              key={hit.messageId}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              className="search-hit"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(i)}
              onMouseMove={() => setActive(i)}
              data-testid="search-hit"
            >
              <HitRow hit={hit} />
            </li>
          ))}
          {query.trim() ? (
            <li
              id={`${listId}-${hits.length}`}
              role="option"
              aria-selected={current === hits.length}
              className="search-hit search-all"
              onMouseDown={(e) => e.preventDefault()}
              onClick={showAll}
              data-testid="palette-show-all"
            >
              All results and filters…
            </li>
          ) : null}
        </ul>
        <p className="palette-status" role="status" data-testid="palette-status">
          {results.state === 'error'
            ? results.message
            : results.state === 'done' && hits.length === 0
              ? 'No messages match.'
              : results.state === 'idle'
                ? 'Type to search every chat. ↑↓ to pick, Enter to open, Esc to close.'
                : ''}
        </p>
      </div>
    </div>
  );
}
