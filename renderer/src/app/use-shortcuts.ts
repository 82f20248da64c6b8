import { useEffect } from 'react';
import type { ShortcutAction } from '../../../shared/index.js';
import { useChat } from '../features/chat/chat-store.js';
import { useSearch } from '../features/search/search-store.js';
import { useSessions } from '../features/sessions/sessions-store.js';
import { useTree } from '../features/tree/tree-store.js';
import { sidebarRows } from '../features/sessions/sidebar-rows.js';
import { useDrawer } from './drawer.js';
import { comboOf, effectiveShortcuts } from './shortcuts.js';
import { useUi } from './ui-store.js';

const NARROW = '(max-width: 720px)';

/** Focuses an element: at once when it is on the page, else once React has drawn what the action changed. */
function focusSoon(testId: string): void {
  const find = () => document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  const now = find();
  if (now && !now.closest('[inert]')) now.focus();
  else setTimeout(() => find()?.focus(), 50);
}

/** Opens the chat above or below the open one, in the sidebar's order. */
function moveChat(step: 1 | -1): void {
  const { sessions, activeId, query, select } = useSessions.getState();
  const order = sidebarRows(sessions, Date.now(), query.trim()).flatMap((row) => (row.kind === 'session' ? [row.session.id] : []));
  const next = order[activeId ? order.indexOf(activeId) + step : 0];
  if (next) select(next);
}

const actions: Record<ShortcutAction, () => void> = {
  newChat: () => {
    useSessions.getState().startNew();
    focusSoon('composer-input');
  },
  focusComposer: () => focusSoon('composer-input'),
  search: () => useSearch.getState().openPalette(),
  toggleSidebar: () => {
    if (window.matchMedia(NARROW).matches) useDrawer.getState().toggle();
    else useDrawer.setState({ collapsed: !useDrawer.getState().collapsed });
  },
  regenerate: () => {
    const { messages, live, retry } = useChat.getState();
    const last = messages.at(-1);
    if (last?.role === 'assistant' && !live[last.id]) void retry(last.id);
  },
  previousChat: () => moveChat(-1),
  nextChat: () => moveChat(1),
  conversationTree: () => {
    if (useSessions.getState().activeId) useTree.getState().toggle();
  },
};

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Runs the user's keyboard shortcuts (Settings › Shortcuts) anywhere in the app. */
export function useShortcuts(): void {
  const user = useUi((s) => s.shortcuts);
  useEffect(() => {
    const byCombo = new Map(Object.entries(effectiveShortcuts(user)).map(([action, combo]) => [combo, action as ShortcutAction]));
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const combo = comboOf(event);
      const action = combo ? byCombo.get(combo) : undefined;
      if (!combo || !action) return;
      // A binding without Mod, Ctrl or Alt would fire while typing; there it is a character, unless it involves Escape.
      if (!/(^|\+)(Mod|Ctrl|Alt)\+/.test(combo) && !combo.endsWith('Escape') && typingIn(event.target)) return;
      event.preventDefault();
      actions[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user]);
}
