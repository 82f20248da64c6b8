import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { useNavigation } from '../../app/navigation.js';
import { useUi } from '../../app/ui-store.js';
import { SessionRow } from './SessionRow.js';
import { useSessions } from './sessions-store.js';
import { sidebarRows } from './sidebar-rows.js';

/** Row heights per density (Settings › Appearance), matching --row-height in the CSS. */
const ROW_HEIGHT = { comfortable: 36, compact: 30 } as const;
const HEADING_HEIGHT = 30;
/** Load the next page when the last rows on screen are this close to the end of what is loaded. */
const LOAD_AHEAD = 15;

/** The chats, pinned first and then grouped by date; only the rows on screen are in the page, so 10,000 chats cost what 30 do. */
export function SessionList() {
  const { sessions, activeId, loading, nextCursor, query, loadMore, select } = useSessions();
  const view = useNavigation((s) => s.view);
  const rows = useMemo(() => sidebarRows(sessions, Date.now(), query.trim()), [sessions, query]);
  const density = useUi((s) => s.appearance.density);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.kind === 'heading' ? HEADING_HEIGHT : ROW_HEIGHT[density]),
    overscan: 10,
  });
  useEffect(() => virtualizer.measure(), [density, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (nextCursor && !loading && lastShown >= rows.length - LOAD_AHEAD) void loadMore();
  }, [lastShown, rows.length, nextCursor, loading, loadMore]);

  return (
    <div className="session-list" ref={scroller} data-testid="session-list">
      <ul className="session-list-inner" style={{ height: virtualizer.getTotalSize() }} aria-label="Chats">
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <li
              key={row.kind === 'heading' ? `h:${row.label}` : row.session.id}
              className="session-list-item"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'heading' ? (
                <h2 className="session-group" data-testid="session-group">
                  {row.label}
                </h2>
              ) : (
                <SessionRow session={row.session} active={view === 'chat' && row.session.id === activeId} onSelect={() => select(row.session.id)} />
              )}
            </li>
          );
        })}
      </ul>
      {!loading && rows.length === 0 ? <p className="session-empty">{query.trim() ? `No chat titled “${query.trim()}”.` : 'No chats yet.'}</p> : null}
      {loading && rows.length === 0 ? <p className="session-empty">Loading…</p> : null}
    </div>
  );
}
