import { memo, useCallback, useEffect, useId, useState } from 'react';
import type { ContextEntry, ContextPreview } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useEscape } from '../../app/escape.js';
import { jumpTo } from '../search/jump.js';
import { ContextMessageList } from './ContextMessageList.js';
import { gaugeReading } from './gauge.js';
import './context.css';

const n = (value: number) => value.toLocaleString();

/**
 * Beside Send: how full the model's window would be if the draft were sent now (core's breakdown of the next request,
 * plus the draft), warning from 90%; pressed, what fills it and each message's place (sent, pinned, shortened, left
 * out, summarized, recalled), each a way to the message in the conversation. Memoized: its props are plain values,
 * so an answer's tokens, which re-render the chat, leave it alone.
 */
export const ContextGauge = memo(function ContextGauge({
  sessionId,
  draft,
  answersInFlight,
  refresh,
}: {
  sessionId: string;
  draft: string;
  answersInFlight: number;
  /** Changes when what the next request would send changes otherwise (the model, the messages, a pin). */
  refresh: string;
}) {
  const [breakdown, setBreakdown] = useState<ContextPreview | null>(null);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  useEscape(open, () => setOpen(false));
  useEffect(() => {
    if (answersInFlight > 0) return;
    let current = true;
    api.call('context.show', { sessionId }).then(
      (value) => current && setBreakdown(value),
      () => current && setBreakdown(null),
    );
    return () => {
      current = false;
    };
  }, [sessionId, answersInFlight, refresh]);
  const jump = useCallback(
    ({ messageId, recalledFrom }: ContextEntry) => {
      setOpen(false);
      // A recalled message may be in another chat or branch: opened there, as the answer's recalled links do.
      if (recalledFrom) void jumpTo({ sessionId: recalledFrom.sessionId, messageId });
      else void jumpTo({ sessionId, messageId }, { onActivePath: true });
    },
    [sessionId],
  );
  if (!breakdown) return null;
  const reading = gaugeReading(breakdown, draft);
  const rows: [string, number][] = [
    ['System prompt', breakdown.system],
    ['Tool definitions', breakdown.tools],
    ['Pinned messages', breakdown.pins],
    ...(breakdown.summary > 0 ? [['Summary of earlier messages', breakdown.summary] as [string, number]] : []),
    ['Recent messages', breakdown.recent],
    ['Your message (estimate)', reading.draftTokens],
  ];
  return (
    <span className={`context-gauge context-${reading.level}`}>
      <button
        type="button"
        className="context-gauge-button"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        onClick={() => setOpen(!open)}
        title={`The model's window: ${reading.percent}% of ${n(reading.budget)} tokens would be used`}
        data-testid="context-gauge"
        data-level={reading.level}
      >
        <span className="context-bar" aria-hidden="true">
          <span className="context-fill" style={{ width: `${reading.percent}%` }} />
        </span>
        {reading.percent}%
      </button>
      {open ? (
        <div className="context-details" id={detailsId} role="dialog" aria-label="What the next request sends" data-testid="context-details">
          <p>
            {n(reading.used)} of {n(reading.budget)} tokens ({n(breakdown.window)} in the model&apos;s window, {n(breakdown.outputReserve)} kept for the
            answer).
          </p>
          <dl>
            {rows.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{n(value)}</dd>
              </div>
            ))}
          </dl>
          <p className="hint">
            {breakdown.included.length} messages sent whole
            {breakdown.compressed.length > 0 ? `, ${breakdown.compressed.length} shortened (formatting stripped, long tool output cut)` : ''}
            {breakdown.dropped.length > 0 ? `, ${breakdown.dropped.length} older ones left out` : ''}.
          </p>
          <ContextMessageList entries={breakdown.messages} onJump={jump} />
          {reading.level !== 'ok' ? (
            <p className="context-warning" role="status">
              {breakdown.pinsOverBudget
                ? 'The pinned messages alone do not fit: unpin some, or pick a model with a larger window.'
                : 'Nearly full: older messages are shortened, then left out, oldest first. Pin what must stay.'}
            </p>
          ) : null}
        </div>
      ) : null}
    </span>
  );
});
