import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Totals = MethodOutput<'sessions.totals'>;

/** What this chat has cost so far, as billed (and estimated where it was not reported); refreshed whenever an answer ends. */
export function SessionTotals({ sessionId, answersInFlight }: { sessionId: string; answersInFlight: number }) {
  const [totals, setTotals] = useState<Totals | null>(null);
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
    <span className="session-totals" title={detail} data-testid="session-totals">
      {approx}
      {tokens.toLocaleString()} tokens · {approx}${totals.costUsd.toFixed(totals.costUsd < 0.01 ? 5 : 3)}
      {totals.unpricedAnswers > 0 ? ' +' : ''}
    </span>
  );
}
