import { differenceInCalendarDays, format, isSameYear } from 'date-fns';
import type { Session } from '../../../../shared/index.js';

/** One line of the sidebar: a group's heading or a chat. */
export type SidebarRow = { kind: 'heading'; label: string } | { kind: 'session'; session: Session };

/** The date group of a chat last active at `at`, as seen at `now` (local calendar days). */
export function dateGroup(at: number, now: number): string {
  const days = differenceInCalendarDays(now, at);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days <= 7) return 'Previous 7 days';
  if (days <= 30) return 'Previous 30 days';
  return isSameYear(at, now) ? format(at, 'MMMM') : format(at, 'MMMM yyyy');
}

/** Whether a chat's title contains the filter, ignoring case (as core's `sessions.list` query does). */
export function titleMatches(session: Session, query: string): boolean {
  return query === '' || session.title.toLowerCase().includes(query.toLowerCase());
}

/**
 * The sidebar's lines: pinned chats first (most recently pinned on top), then the others by recent activity under
 * date headings. `sessions` holds every loaded chat once; only those matching `query` are shown.
 */
export function sidebarRows(sessions: readonly Session[], now: number, query = ''): SidebarRow[] {
  const shown = sessions.filter((s) => s.deletedAt === null && titleMatches(s, query));
  const pinned = shown.filter((s) => s.pinnedAt !== null).sort((a, b) => (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0));
  const others = shown.filter((s) => s.pinnedAt === null).sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1));
  const rows: SidebarRow[] = [];
  if (pinned.length) rows.push({ kind: 'heading', label: 'Pinned' }, ...pinned.map((session) => ({ kind: 'session' as const, session })));
  let current: string | null = null;
  for (const session of others) {
    const label = dateGroup(session.updatedAt, now);
    if (label !== current) rows.push({ kind: 'heading', label });
    current = label;
    rows.push({ kind: 'session', session });
  }
  return rows;
}
