import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Totals = MethodOutput<'sessions.totals'>;

/** What this chat has cost so far, as billed; refreshed whenever an answer ends. */
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
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className="session-totals" title={detail} data-testid="session-totals">
      {tokens.toLocaleString()} tokens · ${totals.costUsd.toFixed(totals.costUsd < 0.01 ? 5 : 3)}
      {totals.unpricedAnswers > 0 ? ' +' : ''}
    </span>
  );
}
