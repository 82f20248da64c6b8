import { useEffect, useState } from 'react';
import { ModelPicker } from '../models/ModelPicker.js';
import { useSessions } from '../sessions/sessions-store.js';
import { useChat } from './chat-store.js';
import { ChatSettingsPanel } from './ChatSettingsPanel.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { SessionTotals } from './SessionTotals.js';

export function ChatView() {
  const activeId = useSessions((s) => s.activeId);
  const session = useSessions((s) => s.sessions.find((x) => x.id === s.activeId) ?? null);
  const { messages, total, live, notices, unavailableTools, toolCalls, attachments, loading, error, sending, open, send, stop, retry } = useChat();
  const streaming = Object.keys(live).length > 0;

  const ensure = useSessions((s) => s.ensure);
  const [showSettings, setShowSettings] = useState(false);
  const updateSettings = useSessions((s) => s.updateSettings);
  useEffect(() => {
    void open(activeId);
    if (activeId) void ensure(activeId);
  }, [activeId, open, ensure]);

  if (!activeId) {
    return (
      <section className="chat chat-empty">
        <div className="empty-state">
          <h2>No chat selected</h2>
          <p>Start a new chat from the sidebar, or pick one you had before.</p>
        </div>
      </section>
    );
  }

  return (
    <section className="chat" aria-label="Conversation">
      <header className="chat-header">
        <h1 data-testid="chat-title">{session?.title ?? ''}</h1>
        <div className="chat-header-right">
          <SessionTotals sessionId={activeId} answersInFlight={Object.keys(live).length} />
          <button type="button" className="icon-text" aria-expanded={showSettings} onClick={() => setShowSettings(!showSettings)} data-testid="toggle-chat-settings">
          Chat settings
          </button>
        </div>
      </header>
      {showSettings && session ? <ChatSettingsPanel key={session.id} session={session} /> : null}
      {!loading && total > messages.length ? (
        <div className="chat-hint">Showing the last {messages.length.toLocaleString()} of {total.toLocaleString()} messages.</div>
      ) : null}
      {loading ? <div className="chat-loading">Loading…</div> : <MessageList messages={messages} live={live} notices={notices} unavailableTools={unavailableTools} toolCalls={toolCalls} attachments={attachments} onRetry={(id) => void retry(id)} />}
      {!loading && messages.length === 0 ? <p className="chat-hint">Ask anything to start.</p> : null}
      {error ? (
        <div className="banner banner-error" role="alert" data-testid="chat-error">
          {error}
        </div>
      ) : null}
      <Composer
        disabled={loading || sending}
        streaming={streaming}
        onSend={send}
        onStop={() => void stop()}
        tools={
          session ? (
            <ModelPicker
              provider={session.settings.provider}
              model={session.settings.model}
              label="Model for this chat"
              onChange={(provider, model) => void updateSettings(session.id, { provider, model })}
            />
          ) : null
        }
      />
    </section>
  );
}
