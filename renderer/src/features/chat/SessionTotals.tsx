import { useEffect, useState } from 'react';
import { formatUsd, type MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useEscape } from '../../app/escape.js';
import { ChatUsageChart } from '../usage/ChatUsageChart.js';

type Totals = MethodOutput<'sessions.totals'>;

/**
 * What this chat has cost so far, as billed (and estimated where it was not reported); refreshed whenever an answer
 * ends. Pressed, it opens the chart of tokens and cost per answer.
 */
export function SessionTotals({ sessionId, answersInFlight }: { sessionId: string; answersInFlight: number }) {
  const [totals, setTotals] = useState<Totals | null>(null);
  const [open, setOpen] = useState(false);
  useEscape(open, () => setOpen(false));
  useEffect(() => {
    if (answersInFlight > 0) return;
    let current = true;
    api.call('sessions.totals', { id: sessionId }).then(
      (value) => current && setTotals(value),
      () => current && setTotals(null),
    );
    return () => {
      current = false;
    };
  }, [sessionId, answersInFlight]);
  if (!totals || totals.answers === 0) return null;
  const tokens = totals.inputTokens + totals.outputTokens;
  const detail = [
    `${totals.inputTokens.toLocaleString()} input tokens (${totals.cachedInputTokens.toLocaleString()} cached)`,
    `${totals.outputTokens.toLocaleString()} output tokens (${totals.reasoningTokens.toLocaleString()} reasoning)`,
    totals.unpricedAnswers > 0 ? `${totals.unpricedAnswers} answers from models without a known price are not in the cost` : '',
    totals.estimatedAnswers > 0
      ? `${totals.estimatedAnswers} answers include estimated counts: the provider did not report all their usage (stopped, cut off, or a server that sends none)`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  const approx = totals.estimatedAnswers > 0 ? '≈ ' : '';
  return (
    <>
      <button type="button" className="session-totals" title={detail} aria-expanded={open} onClick={() => setOpen(!open)} data-testid="session-totals">
        {approx}
        {tokens.toLocaleString()} tokens · {approx}
        {formatUsd(totals.costUsd)}
        {totals.unpricedAnswers > 0 ? ' +' : ''}
      </button>
      {open ? (
        <div className="usage-popover" role="dialog" aria-label="Usage in this chat" data-testid="usage-popover">
          <h2>Tokens and cost per answer</h2>
          <ChatUsageChart key={`${sessionId}-${totals.answers}`} sessionId={sessionId} />
        </div>
      ) : null}
    </>
  );
}
