import { useEffect, useId, useState } from 'react';
import { format, startOfMonth } from 'date-fns';
import { formatUsd, type Budgets, type BudgetStatus } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { downloadText } from './download.js';
import './usage.css';

type LimitKey = 'monthlyUsd' | 'chatUsd';
const LIMITS: { key: LimitKey; label: string; hint: string }[] = [
  { key: 'monthlyUsd', label: 'Monthly limit (USD)', hint: 'All chats, from the 1st of each month.' },
  { key: 'chatUsd', label: 'Per-chat limit (USD)', hint: 'Each chat on its own, all its branches.' },
];

/** A limit as typed: empty for none, else a positive number of dollars; anything else is said next to the field. */
function parseLimit(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null };
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1_000_000)
    return { ok: false, message: 'A limit is an amount of dollars above 0 (up to 1,000,000), or empty for none.' };
  return { ok: true, value };
}

/** Settings › Usage and budgets: spending this month, the limits and whether they block, and usage as CSV. */
export function UsageSettings() {
  const id = useId();
  const [budgets, setBudgets] = useState<Budgets | null>(null);
  const [status, setStatus] = useState<BudgetStatus | null>(null);
  const [drafts, setDrafts] = useState<Record<LimitKey, string>>({ monthlyUsd: '', chatUsd: '' });
  const [problems, setProblems] = useState<Partial<Record<LimitKey, string>>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.call('budgets.get', {}), api.call('budgets.status', {})]).then(
      ([saved, now]) => {
        setBudgets(saved);
        setStatus(now);
        setDrafts({ monthlyUsd: saved.monthlyUsd === null ? '' : String(saved.monthlyUsd), chatUsd: saved.chatUsd === null ? '' : String(saved.chatUsd) });
      },
      (e: Error) => setError(e.message),
    );
  }, []);

  const save = async (change: Partial<Budgets>) => {
    // Shown at once (a checkbox follows the click); what core saved replaces it, and a refusal puts it back.
    const before = budgets;
    if (before) setBudgets({ ...before, ...change });
    try {
      setBudgets(await api.call('budgets.update', change));
      setStatus(await api.call('budgets.status', {}));
      setError(null);
    } catch (e) {
      setBudgets(before);
      setError((e as Error).message);
    }
  };

  const commit = (key: LimitKey) => {
    const parsed = parseLimit(drafts[key]);
    if (!parsed.ok) return setProblems((p) => ({ ...p, [key]: parsed.message }));
    setProblems((p) => ({ ...p, [key]: undefined }));
    if (budgets && budgets[key] !== parsed.value) void save({ [key]: parsed.value });
  };

  return (
    <div className="usage-settings" data-testid="usage-settings">
      <p data-testid="spent-this-month">
        {status ? `Spent this month: ${formatUsd(status.spentThisMonthUsd)}` : 'Spent this month: …'}
        {status?.month ? ` of ${formatUsd(status.month.limitUsd)}` : ''}
        <span className="hint"> (answers from models without a known price are not counted)</span>
      </p>
      <div className="budget-fields">
        {LIMITS.map(({ key, label, hint }) => (
          <div className="field-column" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              inputMode="decimal"
              placeholder="No limit"
              value={drafts[key]}
              aria-invalid={problems[key] ? true : undefined}
              aria-describedby={`${id}-${key}-hint`}
              onChange={(e) => setDrafts((d) => ({ ...d, [key]: e.target.value }))}
              onBlur={() => commit(key)}
              onKeyDown={(e) => e.key === 'Enter' && commit(key)}
              data-testid={`budget-${key}`}
            />
            <span className="hint" id={`${id}-${key}-hint`}>
              {hint} Warns at 80%.
            </span>
            {problems[key] ? (
              <span className="field-error" role="alert">
                {problems[key]}
              </span>
            ) : null}
          </div>
        ))}
      </div>
      <label className="checkbox-label">
        <input
          type="checkbox"
          checked={budgets?.block ?? false}
          disabled={!budgets}
          onChange={(e) => void save({ block: e.target.checked })}
          data-testid="budget-block"
        />
        Block sending when a limit is reached (each blocked message can still be sent anyway)
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <UsageExport />
    </div>
  );
}

/** Every answer's tokens and cost in a date range, as a CSV file (the same file `coda usage --csv` prints). */
function UsageExport() {
  const id = useId();
  const [from, setFrom] = useState(() => format(startOfMonth(new Date()), 'yyyy-MM-dd'));
  const [to, setTo] = useState(() => format(new Date(), 'yyyy-MM-dd'));
  const [result, setResult] = useState<{ kind: 'done' | 'error'; text: string } | null>(null);

  const exportCsv = async () => {
    const start = new Date(`${from}T00:00`);
    const end = new Date(`${to}T00:00`);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return setResult({ kind: 'error', text: 'Choose both days.' });
    end.setDate(end.getDate() + 1);
    if (start >= end) return setResult({ kind: 'error', text: 'The first day must not be after the last.' });
    try {
      const [{ rows, truncated }, { usageCsv }] = await Promise.all([
        api.call('usage.answers', { from: start.getTime(), to: end.getTime() }),
        import('../../../../shared/data/usage-csv.js'),
      ]);
      downloadText(`coda-usage-${from}-to-${to}.csv`, `${usageCsv(rows)}\r\n`, 'text/csv');
      const more = truncated ? ' (the first 100,000; narrow the range for the rest)' : '';
      setResult({ kind: 'done', text: `Exported ${rows.length.toLocaleString()} answers${more}.` });
    } catch (e) {
      setResult({ kind: 'error', text: (e as Error).message });
    }
  };

  return (
    <fieldset className="usage-export">
      <legend>Export usage as CSV</legend>
      <label htmlFor={`${id}-from`}>From</label>
      <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="usage-from" />
      <label htmlFor={`${id}-to`}>to</label>
      <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="usage-to" />
      <button type="button" onClick={() => void exportCsv()} data-testid="export-usage">
        Export CSV
      </button>
      {result ? (
        <p className={result.kind === 'error' ? 'field-error' : 'hint'} role={result.kind === 'error' ? 'alert' : 'status'} data-testid="usage-export-result">
          {result.text}
        </p>
      ) : null}
    </fieldset>
  );
}
