import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { ConnectionState } from '../api/ws-bridge.js';
import { ChatView } from '../features/chat/ChatView.js';
import { SessionsSidebar } from '../features/sessions/SessionsSidebar.js';
import { useSessions } from '../features/sessions/sessions-store.js';
import { SettingsView } from '../features/settings/SettingsView.js';
import { CommandPalette } from '../features/search/CommandPalette.js';
import { MergeDialog } from '../features/merge/MergeDialog.js';
import { SearchView } from '../features/search/SearchView.js';
import { useDrawer, useNarrow } from './drawer.js';
import { useShortcuts } from './use-shortcuts.js';
import { useUi } from './ui-store.js';
import { MenuIcon } from './icons.js';
import { useNavigation } from './navigation.js';

export function App() {
  const apply = useSessions((s) => s.apply);
  const view = useNavigation((s) => s.view);
  const [connection, setConnection] = useState<ConnectionState>('open');

  useEffect(() => api.onApp((event) => event.type === 'session-changed' && apply(event.session)), [apply]);
  useEffect(() => api.onConnectionChange(setConnection), []);
  const narrow = useNarrow();
  const drawer = useDrawer();
  // Opening a chat, a new chat or Settings from the drawer closes it.
  const activeId = useSessions((s) => s.activeId);
  const closeDrawer = drawer.close;
  useEffect(() => closeDrawer(), [activeId, view, closeDrawer]);
  const hidden = narrow ? !drawer.open : drawer.collapsed;
  useShortcuts();
  const loadUi = useUi((s) => s.load);
  useEffect(() => void loadUi(), [loadUi]);

  if (connection === 'refused') return <AccessRefused />;
  return (
    <div
      className={`app${drawer.open ? ' drawer-open' : ''}${!narrow && drawer.collapsed ? ' sidebar-collapsed' : ''}`}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !drawer.open) return;
        event.preventDefault();
        drawer.close();
      }}
    >
      {/* A closed drawer is out of the tab order and of what screen readers read. */}
      <div className="sidebar-slot" inert={hidden} aria-hidden={hidden || undefined}>
        <SessionsSidebar />
      </div>
      {narrow && drawer.open ? <div className="drawer-backdrop" onClick={drawer.close} data-testid="drawer-backdrop" /> : null}
      <main className="main">
        {narrow || drawer.collapsed ? (
          <button
            type="button"
            className="drawer-toggle"
            aria-label="Chats"
            aria-expanded={narrow ? drawer.open : !drawer.collapsed}
            onClick={narrow ? drawer.toggle : () => useDrawer.setState({ collapsed: false })}
            data-testid="drawer-toggle"
          >
            <MenuIcon />
          </button>
        ) : null}
        {connection === 'reconnecting' ? (
          <div className="banner banner-warn" role="status" data-testid="reconnecting">
            Connection to Coda Agent lost; reconnecting…
          </div>
        ) : null}
        {view === 'settings' ? <SettingsView /> : view === 'search' ? <SearchView /> : <ChatView />}
      </main>
      <CommandPalette />
      <MergeDialog />
    </div>
  );
}

/** Serve mode refused this page's access token: only that, and how to get a working link. */
function AccessRefused() {
  return (
    <main className="refused" role="alert" data-testid="access-refused">
      <h1>This link no longer opens Coda Agent</h1>
      <p>
        Serve mode makes a new access link each time it starts, and this page&apos;s link is not the current one (or was copied without its{' '}
        <code>?token=…</code> part).
      </p>
      <p>
        Open the address <code>coda serve</code> printed when it last started, or start it again (<code>npm run serve</code>) and open the address it prints.
      </p>
    </main>
  );
}
