import { useEffect, useState } from 'react';
import type { EmbeddingProgress, MethodOutput, RecallSettings as Settings, RecallStatus } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import './recall-settings.css';

type Provider = MethodOutput<'app.info'>['providers'][number];

/** A likely embedding model per kind of provider, filled in when one is picked (any model can be typed). */
const SUGGESTED: Record<string, string> = { openai: 'text-embedding-3-small', gemini: 'gemini-embedding-001', ollama: 'nomic-embed-text' };
const suggestion = (provider: Provider) => SUGGESTED[provider.id] ?? SUGGESTED[provider.kind] ?? '';

/**
 * Settings › Recall: the embedding model (none: keyword recall, said so here and in each answer), whether recall
 * reaches every chat, its threshold and size, and how far embedding the history has come.
 */
export function RecallSettings() {
  const [status, setStatus] = useState<RecallStatus | null>(null);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [provider, setProvider] = useState('');
  const [model, setModel] = useState('');
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const [progress, setProgress] = useState<EmbeddingProgress | null>(null);

  useEffect(() => {
    api.call('recall.status', {}).then(
      (s) => {
        setStatus(s);
        setProgress(s.progress);
        setProvider(s.settings.embedding?.provider ?? '');
        setModel(s.settings.embedding?.model ?? '');
      },
      (error: Error) => setNote({ error: true, text: error.message }),
    );
    api.call('app.info', {}).then(
      (info) => setProviders(info.providers.filter((p) => p.kind !== 'anthropic' && p.kind !== 'azure')),
      () => setProviders([]),
    );
    return api.onApp((event) => {
      if (event.type === 'embedding-progress') setProgress(event.progress);
    });
  }, []);

  const save = async (patch: Partial<Settings>, done = 'Saved.') => {
    try {
      const next = await api.call('recall.update', patch);
      setStatus(next);
      setProgress(next.progress);
      setNote({ error: false, text: done });
    } catch (error) {
      setNote({ error: true, text: (error as Error).message });
    }
  };
  const saveModel = () => {
    if (!provider) return void save({ embedding: null });
    if (!model.trim()) return setNote({ error: true, text: 'Name the embedding model (for example text-embedding-3-small).' });
    void save({ embedding: { provider, model: model.trim() } }, 'Saved: the history is being embedded in the background.');
  };
  const embedNow = async () => {
    try {
      setProgress(await api.call('recall.backfill', {}));
    } catch (error) {
      setNote({ error: true, text: (error as Error).message });
    }
  };

  if (!status) return note ? <p className="field-error">{note.text}</p> : null;
  const { settings } = status;
  const saved = settings.embedding;
  const changed = provider !== (saved?.provider ?? '') || model.trim() !== (saved?.model ?? '');
  return (
    <div className="recall-settings" data-testid="recall-settings">
      <p className="hint">
        Before each answer, earlier messages close in meaning to your question are sent with it, and the answer lists them. Messages are compared by their
        embeddings, made by the model below.
      </p>
      <div className="recall-model">
        <label className="field">
          <span>Embedding provider</span>
          <select
            value={provider}
            onChange={(e) => {
              setProvider(e.target.value);
              const picked = providers.find((p) => p.id === e.target.value);
              setModel(picked ? suggestion(picked) : '');
            }}
            data-testid="recall-provider"
          >
            <option value="">None (recall by keywords)</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
                {p.configured ? '' : ' (not set up)'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Embedding model</span>
          <input value={model} disabled={!provider} onChange={(e) => setModel(e.target.value)} spellCheck={false} data-testid="recall-model" />
        </label>
        <button type="button" disabled={!changed} onClick={saveModel} data-testid="recall-model-save">
          Save
        </button>
      </div>
      {status.notice ? (
        <p className="banner banner-warn" role="status" data-testid="recall-notice">
          {status.notice}
        </p>
      ) : null}
      {saved && progress ? <Progress progress={progress} onEmbed={() => void embedNow()} /> : null}
      <label className="field field-inline">
        <input type="checkbox" checked={settings.allChats} onChange={(e) => void save({ allChats: e.target.checked })} data-testid="recall-all-chats" />
        <span>Recall from all chats, not only the chat being answered</span>
      </label>
      <NumberSetting
        key={`threshold-${settings.threshold}`}
        label="Lowest similarity (0 to 1)"
        value={settings.threshold}
        step={0.05}
        min={0}
        max={1}
        testId="recall-threshold"
        onSave={(threshold) => void save({ threshold })}
      />
      <NumberSetting
        key={`limit-${settings.limit}`}
        label="Most messages per answer (0 turns recall off)"
        value={settings.limit}
        step={1}
        min={0}
        max={20}
        testId="recall-limit"
        onSave={(limit) => void save({ limit })}
      />
      {note ? (
        <p className={note.error ? 'field-error' : 'hint'} role={note.error ? 'alert' : 'status'} data-testid="recall-note">
          {note.text}
        </p>
      ) : null}
    </div>
  );
}

function Progress({ progress, onEmbed }: { progress: EmbeddingProgress; onEmbed: () => void }) {
  const { embedded, total, running, error } = progress;
  return (
    <div className="recall-progress" data-testid="recall-progress">
      <progress max={Math.max(total, 1)} value={embedded} aria-label="Messages embedded" />
      <span>
        {embedded.toLocaleString()} of {total.toLocaleString()} messages embedded{running ? '…' : ''}
      </span>
      {!running && embedded < total ? (
        <button type="button" onClick={onEmbed} data-testid="recall-embed-now">
          Embed now
        </button>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          Embedding stopped: {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A number saved on Enter or when the field loses focus. One out of range (or not a number) is kept in the field with
 * an error saying what is allowed, so the user sees why nothing was saved; Escape puts the saved value back.
 */
function NumberSetting(props: { label: string; value: number; step: number; min: number; max: number; testId: string; onSave: (value: number) => void }) {
  const [draft, setDraft] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  const errorId = `${props.testId}-error`;
  const commit = () => {
    const value = Number(draft);
    if (!draft.trim() || !Number.isFinite(value) || value < props.min || value > props.max) {
      setError(`Not saved: give a number from ${props.min} to ${props.max}. ${props.value} is still in use.`);
      return;
    }
    setError(null);
    if (value !== props.value) props.onSave(value);
  };
  const revert = () => {
    setDraft(String(props.value));
    setError(null);
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        value={draft}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          else if (e.key === 'Escape' && error) {
            e.stopPropagation();
            revert();
          }
        }}
        data-testid={props.testId}
      />
      {error ? (
        <span className="field-error" role="alert" id={errorId} data-testid={errorId}>
          {error}
        </span>
      ) : null}
    </label>
  );
}
