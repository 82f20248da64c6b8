import { useEffect, useState } from 'react';
import { useEscape } from '../../app/escape.js';
import type { Session } from '../../../../shared/index.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { findSession, useSessions } from '../sessions/sessions-store.js';
import { useChat } from './chat-store.js';
import { ChatSettingsPanel } from './ChatSettingsPanel.js';
import { BranchNotice } from './BranchNotice.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { loadOlder, undoDelete } from './branch-actions.js';
import { NewChatStart } from './NewChatStart.js';
import { PresetPicker } from '../presets/PresetPicker.js';
import { usePresets } from '../presets/presets-store.js';
import { rememberModel, useNewChat } from './new-chat-store.js';
import { SessionTotals } from './SessionTotals.js';
import { BudgetNotice } from '../usage/BudgetNotice.js';
import { ContextGauge } from '../context/ContextGauge.js';
import { StepsBeside } from '../steps/AnswerSteps.js';
import { SummarizeButton } from '../summaries/SummaryDivider.js';
import { useSummary } from '../summaries/summary-store.js';
import { TreeView } from '../tree/TreeView.js';
import { CompareView } from '../compare/CompareView.js';
import { RerunPanel } from '../compare/RerunPanel.js';
import { useTree } from '../tree/tree-store.js';

/** The open chat, or, when none is open (the app's first screen, "+ New chat"), a new one ready to type into. */
export function ChatView() {
  const activeId = useSessions((s) => s.activeId);
  const open = useChat((s) => s.open);
  const ensure = useSessions((s) => s.ensure);
  useEffect(() => {
    void open(activeId);
    if (activeId) void ensure(activeId);
  }, [activeId, open, ensure]);
  return activeId ? <OpenChat sessionId={activeId} /> : <NewChat />;
}

function OpenChat({ sessionId }: { sessionId: string }) {
  const session = useSessions((s) => findSession(s, sessionId));
  const updateSettings = useSessions((s) => s.updateSettings);
  const {
    messages,
    total,
    live,
    notices,
    unavailableTools,
    toolCalls,
    attachments,
    siblings,
    deleted,
    loading,
    error,
    blockedBySpending,
    sending,
    send,
    stop,
    retry,
  } = useChat();
  const streaming = Object.keys(live).length > 0;
  const [showSettings, setShowSettings] = useState(false);
  const showTree = useTree((s) => s.open);
  const toggleTree = useTree((s) => s.toggle);
  const { compact, error: summaryError, show: showSummary, summary } = useSummary();
  // The summary of the branch on screen, read again as it grows or changes.
  const leafId = messages.at(-1)?.id ?? null;
  useEffect(() => {
    void showSummary(sessionId, leafId);
  }, [sessionId, leafId, showSummary]);
  // Escape closes the settings panel first, then stops an answer that is streaming.
  useEscape(showSettings || streaming, () => (showSettings ? setShowSettings(false) : void stop()));

  return (
    <section className="chat" aria-label="Conversation">
      <header className="chat-header">
        <h1 data-testid="chat-title">{session?.title ?? ''}</h1>
        <div className="chat-header-right">
          <SessionTotals sessionId={sessionId} answersInFlight={Object.keys(live).length} />
          <SummarizeButton sessionId={sessionId} disabled={streaming || messages.length === 0} />
          <button type="button" className="icon-text" aria-expanded={showTree} onClick={toggleTree} data-testid="toggle-tree">
            Tree
          </button>
          <SettingsToggle open={showSettings} onToggle={() => setShowSettings(!showSettings)} />
        </div>
      </header>
      {showSettings && session ? (
        <ChatSettingsPanel key={session.id} settings={session.settings} onChange={(change) => void updateSettings(session.id, change)} savable />
      ) : null}
      {showTree ? <TreeView key={sessionId} sessionId={sessionId} leafId={leafId} /> : null}
      <RerunPanel />
      <CompareView />
      {loading ? (
        <div className="chat-loading">Loading…</div>
      ) : (
        <MessageList
          messages={messages}
          live={live}
          notices={notices}
          unavailableTools={unavailableTools}
          toolCalls={toolCalls}
          attachments={attachments}
          siblings={siblings}
          hasOlder={total > messages.length}
          onLoadOlder={() => void loadOlder()}
          onRetry={(id) => void retry(id)}
        />
      )}
      <StepsBeside />
      {deleted ? <DeletedToast count={deleted.count} /> : null}
      {!loading && messages.length === 0 ? <p className="chat-hint">No messages yet: ask anything to start.</p> : null}
      <ErrorBanner error={error ?? summaryError} />
      <Composer
        disabled={loading || sending}
        streaming={streaming}
        onSend={(text, resources, overBudget) => (text === '/compact' ? compact(sessionId) : send(text, resources, overBudget))}
        onStop={() => void stop()}
        notice={(sendAnyway) => (
          <>
            <BranchNotice />
            <BudgetNotice sessionId={sessionId} answersInFlight={Object.keys(live).length} blocked={blockedBySpending} onSendAnyway={sendAnyway} />
          </>
        )}
        meter={(draft) => (
          <ContextGauge
            sessionId={sessionId}
            draft={draft}
            answersInFlight={Object.keys(live).length}
            refresh={`${session?.settings.provider}/${session?.settings.model}:${session?.settings.maxOutputTokens}:${messages.length}:${messages.filter((m) => m.pinned).length}:${summary?.id}:${summary?.editedAt}`}
          />
        )}
        tools={
          session ? (
            <ModelPicker
              provider={session.settings.provider}
              model={session.settings.model}
              label="Model for this chat"
              onChange={(provider, model) => {
                void updateSettings(session.id, { provider, model });
                rememberModel(provider, model);
              }}
            />
          ) : null
        }
      />
    </section>
  );
}

function NewChat() {
  const { settings, providers, error, load, update } = useNewChat();
  const { sending, error: sendError, blockedBySpending, sendFirst } = useChat();
  const apply = useSessions((s) => s.apply);
  const select = useSessions((s) => s.select);
  const [showSettings, setShowSettings] = useState(false);
  // The preset the draft was set from, so its settings panel starts fresh with the preset's values.
  const [presetKey, setPresetKey] = useState<string | null>(null);
  const presets = usePresets((s) => s.presets);
  useEscape(showSettings, () => setShowSettings(false));
  useEffect(() => {
    void load();
  }, [load]);

  const start = async (text: string, resources: { server: string; uri: string }[], overBudget?: true): Promise<boolean> => {
    if (!settings) return false;
    const session: Session | null = await sendFirst(settings, text, resources, overBudget);
    if (!session) return false;
    apply(session);
    select(session.id);
    return true;
  };

  return (
    <section className="chat" aria-label="New chat">
      <header className="chat-header">
        <h1 data-testid="chat-title">New chat</h1>
        <div className="chat-header-right">
          <PresetPicker
            onPick={(preset) => {
              update(preset.settings);
              setPresetKey(preset.id);
            }}
          />
          <SettingsToggle open={showSettings} onToggle={() => setShowSettings(!showSettings)} />
        </div>
      </header>
      {presetKey ? (
        <p className="chat-hint" data-testid="preset-applied">
          Starting from the preset “{presets.find((p) => p.id === presetKey)?.name ?? ''}”.
        </p>
      ) : null}
      {showSettings && settings ? <ChatSettingsPanel key={`new-chat-${presetKey}`} settings={settings} onChange={update} savable /> : null}
      <NewChatStart settings={settings} providers={providers} />
      <ErrorBanner error={error ?? sendError} />
      <Composer
        disabled={sending || !settings}
        streaming={false}
        onSend={start}
        onStop={() => undefined}
        notice={(sendAnyway) => <BudgetNotice sessionId={null} answersInFlight={sending ? 1 : 0} blocked={blockedBySpending} onSendAnyway={sendAnyway} />}
        tools={
          settings ? (
            <ModelPicker
              provider={settings.provider}
              model={settings.model}
              label="Model for this chat"
              onChange={(provider, model) => update({ provider, model })}
            />
          ) : null
        }
      />
    </section>
  );
}

function SettingsToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" className="icon-text" aria-expanded={open} onClick={onToggle} data-testid="toggle-chat-settings">
      Chat settings
    </button>
  );
}

function ErrorBanner({ error }: { error: string | null }) {
  return error ? (
    <div className="banner banner-error" role="alert" data-testid="chat-error">
      {error}
    </div>
  ) : null;
}

const UNDO_MS = 8_000;

/** After a delete: what went, with Undo for a few seconds. */
function DeletedToast({ count }: { count: number }) {
  useEffect(() => {
    const timer = setTimeout(() => useChat.setState({ deleted: null }), UNDO_MS);
    return () => clearTimeout(timer);
  }, [count]);
  return (
    <div className="toast chat-toast" role="status" data-testid="message-undo">
      <span>Deleted {count === 1 ? 'a message' : `${count} messages`}.</span>
      <button type="button" onClick={() => void undoDelete()} data-testid="undo-delete-message">
        Undo
      </button>
    </div>
  );
}
