import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { ConnectionState } from '../api/ws-bridge.js';
import { ChatView } from '../features/chat/ChatView.js';
import { SessionsSidebar } from '../features/sessions/SessionsSidebar.js';
import { useSessions } from '../features/sessions/sessions-store.js';
import { SettingsView } from '../features/settings/SettingsView.js';
import { useNavigation } from './navigation.js';

export function App() {
  const apply = useSessions((s) => s.apply);
  const view = useNavigation((s) => s.view);
  const [connection, setConnection] = useState<ConnectionState>('open');

  useEffect(() => api.onApp((event) => event.type === 'session-changed' && apply(event.session)), [apply]);
  useEffect(() => api.onConnectionChange(setConnection), []);
  return (
    <div className="app">
      <SessionsSidebar />
      <main className="main">
        {connection === 'reconnecting' ? (
          <div className="banner banner-warn" role="status" data-testid="reconnecting">
            Connection to Coda Agent lost; reconnecting…
          </div>
        ) : null}
        {connection === 'refused' ? (
          <div className="banner banner-error" role="alert">
            This page's access token was refused. Open the address that `coda serve` printed when it started.
          </div>
        ) : null}
        {view === 'settings' ? <SettingsView /> : <ChatView />}
      </main>
    </div>
  );
}
