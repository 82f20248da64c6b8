import { memo, useState } from 'react';
import type { Summary } from '../../../../shared/index.js';
import { useSummary } from './summary-store.js';
import './summaries.css';

const KIND_LABEL: Record<Summary['quality']['lost'][number]['kind'], string> = { name: 'Name', number: 'Number', decision: 'Decision' };

/**
 * Where the summary goes in the list: `below` its last message when that message is loaded, else a `banner` at the
 * top of the loaded messages (a long chat opens at its newest page, after the summarized range).
 */
export type SummaryPlacement = 'below' | 'banner';

/** Where the summary of the branch is drawn among the loaded messages (null: nowhere, there is none). */
export function summaryPlacement(summary: Summary | null, messages: readonly { id: string }[]): SummaryPlacement | null {
  if (!summary || messages.length === 0) return null;
  // The summary is on the branch shown and the loaded messages are its newest ones: its end is loaded, or older.
  return messages.some((m) => m.id === summary.toMessageId) ? 'below' : 'banner';
}

/**
 * Where the summary's range ends in the conversation: a divider that opens to the summary (what later requests send
 * instead of the messages above it), its quality check and an editor; as a banner above the loaded messages when
 * its last message is not loaded. The text is shown as text, never as HTML. Memoized: the list re-renders at each
 * token of an answer, the divider only when its summary changes.
 */
export const SummaryDivider = memo(function SummaryDivider({ summary, placement = 'below' }: { summary: Summary; placement?: SummaryPlacement }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<string | null>(null);
  const save = useSummary((s) => s.save);
  const coverage = Math.round(summary.quality.coverage * 100);
  const bodyId = `summary-${placement}-${summary.id}`;
  const banner = placement === 'banner';
  return (
    <div className={banner ? 'summary-divider summary-banner' : 'summary-divider'} data-testid={banner ? 'summary-banner' : 'summary-divider'}>
      <button type="button" className="summary-divider-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        <span>
          {banner ? `Earlier messages are summarized: summary of the first ${summary.messageCount}` : `Summary of the ${summary.messageCount} messages above`}
          {summary.editedAt ? ' (edited)' : ''}
        </span>
        <span
          className={`badge summary-coverage ${coverage < 80 ? 'summary-coverage-low' : ''}`}
          title="Share of the names, numbers and decisions above that the summary kept"
        >
          coverage {coverage}%
        </span>
      </button>
      {open ? (
        <div className="summary-body" id={bodyId}>
          <p className="hint">
            Sent to the model instead of {banner ? 'those messages (not loaded here)' : 'the messages above'} ({summary.provider}/{summary.model},{' '}
            {summary.trigger === 'auto' ? 'made automatically' : 'asked for'}).
          </p>
          {draft === null ? (
            <>
              <div className="summary-text" data-testid="summary-text">
                {summary.text}
              </div>
              <button type="button" className="link" onClick={() => setDraft(summary.text)} data-testid="summary-edit">
                Edit summary
              </button>
            </>
          ) : (
            <form
              className="summary-edit"
              onSubmit={(event) => {
                event.preventDefault();
                void save(summary.id, draft).then((saved) => saved && setDraft(null));
              }}
            >
              <textarea
                aria-label="Summary text"
                value={draft}
                rows={8}
                onChange={(event) => setDraft(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Escape') {
                    event.stopPropagation();
                    setDraft(null);
                  }
                }}
                data-testid="summary-editor"
              />
              <div className="summary-edit-buttons">
                <button type="submit" className="primary" disabled={!draft.trim()} data-testid="summary-save">
                  Save
                </button>
                <button type="button" onClick={() => setDraft(null)}>
                  Cancel
                </button>
              </div>
            </form>
          )}
          <div className="summary-quality" data-testid="summary-quality">
            {summary.quality.lost.length === 0 ? (
              <p>Keeps all {summary.quality.checked} names, numbers and decisions found above.</p>
            ) : (
              <>
                <p>
                  Lost {summary.quality.lost.length} of {summary.quality.checked} names, numbers and decisions:
                </p>
                <ul>
                  {summary.quality.lost.map((fact) => (
                    <li key={`${fact.kind}:${fact.text}`}>
                      <span className="summary-fact-kind">{KIND_LABEL[fact.kind]}</span> {fact.text}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
});

/** Summarizes the chat now (the same as typing /compact). */
export function SummarizeButton({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const busy = useSummary((s) => s.busy);
  const compact = useSummary((s) => s.compact);
  return (
    <button
      type="button"
      className="icon-text"
      disabled={disabled || busy}
      onClick={() => void compact(sessionId)}
      title="Summarize the conversation so far: later requests send the summary instead of the messages (or type /compact)"
      data-testid="summarize-chat"
    >
      {busy ? 'Summarizing…' : 'Summarize'}
    </button>
  );
}
