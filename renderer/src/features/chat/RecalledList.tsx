import type { AnswerRecall } from '../../../../shared/index.js';
import { jumpTo } from '../search/jump.js';
import { recallSummary } from './recalled.js';
import './recalled.css';

/**
 * Under an answer: the earlier messages recall sent with its request, each a link that opens it in its chat, and
 * why keywords were used when they were.
 */
export function RecalledList({ recall }: { recall: AnswerRecall | undefined }) {
  // An answer given nothing shows nothing (Settings › Recall says why recall uses keywords, once).
  if (!recall || recall.messages.length === 0) return null;
  return (
    <details className="recalled" data-testid="recalled">
      <summary data-testid="recalled-summary">{recallSummary(recall)}</summary>
      {recall.notice ? (
        <p className="recalled-notice" data-testid="recalled-notice">
          {recall.notice}
        </p>
      ) : null}
      <ol className="recalled-list">
        {recall.messages.map((m) => (
          <li key={m.messageId}>
            <button
              type="button"
              className="link-button recalled-link"
              onClick={() => void jumpTo(m)}
              title={`Open this message in “${m.sessionTitle}”`}
              data-testid="recalled-link"
            >
              <span className="recalled-where">
                {m.sessionTitle} · {m.role === 'user' ? 'you' : 'answer'}
                {m.similarity === null ? '' : ` · ${Math.round(m.similarity * 100)}% similar`}
              </span>
              <span className="recalled-preview">{m.preview}</span>
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
