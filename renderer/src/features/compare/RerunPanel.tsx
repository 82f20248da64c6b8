import { useEffect, useRef } from 'react';
import { api } from '../../api/client.js';
import { useEscape } from '../../app/escape.js';
import { useChat } from '../chat/chat-store.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { useCompare } from './compare-store.js';
import './compare.css';
import { MAX_MODELS, MIN_MODELS, useRerun, type RerunRun, type RerunStatus } from './rerun-store.js';

const STATUS: Record<RerunStatus, string> = {
  streaming: 'answering…',
  'needs-you': 'waiting for you (show it to answer)',
  complete: 'done',
  interrupted: 'stopped',
  error: 'failed',
};

/**
 * "Re-run with models…" on an answer: pick 2 to 4 models (the app's model picker), and each answers the question
 * again at once as a new sibling; then each model's progress, a way to show each answer, and Compare for each pair
 * that has finished. Escape closes it (the answers go on).
 */
export function RerunPanel() {
  const { messageId, picks, runs, starting, error, close, setPick, addPick, removePick, start } = useRerun();
  const heading = useRef<HTMLHeadingElement>(null);
  // While a comparison is open over it, Escape is the comparison's.
  const comparing = useCompare((s) => s.target !== null);
  useEscape(messageId !== null && !comparing, close);
  useEffect(() => {
    heading.current?.focus();
  }, [messageId]);
  if (!messageId) return null;

  return (
    <section className="rerun-panel" aria-labelledby="rerun-heading" data-testid="rerun-panel">
      <div className="compare-toolbar">
        <h2 id="rerun-heading" tabIndex={-1} ref={heading}>
          Re-run with models
        </h2>
        <span className="compare-from">
          {runs.length === 0
            ? `Each model answers the question again, all at once; each answer is kept beside the others.`
            : `${runs.length} models answer at once.`}
        </span>
        <button type="button" className="icon-text" onClick={close} data-testid="close-rerun">
          Close
        </button>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      {runs.length === 0 ? (
        <div className="rerun-picks">
          <ol>
            {picks.map((pick, i) => (
              <li key={i} data-testid="rerun-pick">
                <ModelPicker
                  provider={pick.provider}
                  model={pick.model}
                  label={`Model ${i + 1}`}
                  testId={`rerun-model-${i}`}
                  onChange={(provider, model) => setPick(i, { provider, model })}
                />
                {picks.length > MIN_MODELS ? (
                  <button type="button" className="link" onClick={() => removePick(i)} aria-label={`Remove model ${i + 1}`}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
          <div className="rerun-buttons">
            {picks.length < MAX_MODELS ? (
              <button type="button" className="link" onClick={addPick} data-testid="rerun-add">
                Add a model
              </button>
            ) : null}
            <button type="button" disabled={starting} onClick={() => void start()} data-testid="rerun-start">
              {starting ? 'Starting…' : `Re-run with ${picks.length} models`}
            </button>
          </div>
        </div>
      ) : (
        <Progress runs={runs} />
      )}
    </section>
  );
}

function Progress({ runs }: { runs: RerunRun[] }) {
  const sessionId = useChat((s) => s.sessionId);
  const ended = runs.filter((r) => r.status !== 'streaming' && r.status !== 'needs-you');
  const pairs = ended.flatMap((a, i) => ended.slice(i + 1).map((b) => [a, b] as const));
  const show = async (messageId: string) => {
    if (!sessionId) return;
    await api.call('sessions.switchBranch', { sessionId, messageId });
    await useChat.getState().reload();
  };
  return (
    <div className="rerun-progress">
      <ul aria-live="polite">
        {runs.map((run) => (
          <li key={run.runId} data-testid="rerun-run" data-status={run.status}>
            <span className="rerun-model">{run.model}</span> <span className="rerun-status">{STATUS[run.status]}</span>
            {run.error ? <span className="rerun-error"> — {run.error}</span> : null}{' '}
            <button type="button" className="link" onClick={() => void show(run.messageId)} aria-label={`Show the answer of ${run.model}`}>
              Show
            </button>
          </li>
        ))}
      </ul>
      {pairs.length > 0 && sessionId ? (
        <div className="rerun-buttons">
          {pairs.map(([a, b]) => (
            <button
              key={`${a.runId}-${b.runId}`}
              type="button"
              onClick={() => void useCompare.getState().open(sessionId, a.messageId, b.messageId)}
              data-testid="rerun-compare"
            >
              Compare {a.model} with {b.model}
            </button>
          ))}
        </div>
      ) : (
        <p className="compare-from">Compare is offered once two answers have finished.</p>
      )}
    </div>
  );
}
