import { useEffect, useState } from 'react';
import { formatUsd as usd, type BudgetState, type BudgetStatus } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { openSettingsSection } from '../settings/open-section.js';
import './usage.css';

function describe(name: 'Monthly' | 'This chat', state: BudgetState, block: boolean): string {
  const share = Math.floor((state.spentUsd / state.limitUsd) * 100);
  const scope = name === 'Monthly' ? 'this month' : 'in this chat';
  if (state.level === 'over') {
    return `${name} spending limit reached: ${usd(state.spentUsd)} spent ${scope} of ${usd(state.limitUsd)}.${block ? ' Sending is blocked.' : ''}`;
  }
  return `${usd(state.spentUsd)} spent ${scope}: ${share}% of the ${name === 'Monthly' ? 'monthly' : 'per-chat'} limit of ${usd(state.limitUsd)}.`;
}

/**
 * Above the composer: how close spending is to the user's limits (from 80%), and, when a limit set to block refused a
 * message, a way to send it anyway once. `answersInFlight` refreshes it when an answer ends.
 */
export function BudgetNotice({
  sessionId,
  answersInFlight,
  blocked,
  onSendAnyway,
}: {
  sessionId: string | null;
  answersInFlight: number;
  /** The refusal's message when the last send was blocked by a limit. */
  blocked: string | null;
  onSendAnyway(): void;
}) {
  const [status, setStatus] = useState<BudgetStatus | null>(null);
  useEffect(() => {
    if (answersInFlight > 0) return;
    let current = true;
    api.call('budgets.status', sessionId ? { sessionId } : {}).then(
      (value) => current && setStatus(value),
      () => current && setStatus(null),
    );
    return () => {
      current = false;
    };
  }, [sessionId, answersInFlight, blocked]);

  const lines = status
    ? [
        status.month && status.month.level !== 'ok' ? describe('Monthly', status.month, status.block) : null,
        status.chat && status.chat.level !== 'ok' ? describe('This chat', status.chat, status.block) : null,
      ].filter((line): line is string => line !== null)
    : [];
  if (lines.length === 0 && !blocked) return null;
  const over = blocked !== null || [status?.month, status?.chat].some((s) => s?.level === 'over');
  return (
    <div className={`budget-notice ${over ? 'budget-over' : 'budget-warn'}`} role={blocked ? 'alert' : 'status'} data-testid="budget-notice">
      <span>{blocked ?? lines.join(' ')}</span>
      {blocked ? (
        <button type="button" onClick={onSendAnyway} data-testid="send-anyway">
          Send anyway
        </button>
      ) : null}
      <button type="button" className="link" onClick={() => openSettingsSection('usage')}>
        Limits…
      </button>
    </div>
  );
}
