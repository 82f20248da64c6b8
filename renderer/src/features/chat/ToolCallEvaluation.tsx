import { problemText, summarizeEvaluations, type SelectionCriteria, type ToolCallEvaluation } from '../../../../shared/contract/tool-evaluation.js';
import type { ToolCallView } from './tool-call-views.js';
import './tool-evaluation.css';

/*
 * The evaluation of tool calls as the conversation shows it (decision 0020): badges on each call, its criteria in
 * the expanded call, and a one-line summary per answer beside its usage. Core computes everything; this only shows it.
 */

const ARGUMENTS: Record<ToolCallEvaluation['arguments'], string | null> = { valid: 'arguments valid', invalid: 'arguments invalid', unchecked: null };

const CRITERIA: { key: keyof SelectionCriteria; label: string }[] = [
  { key: 'relevance', label: 'matches the request' },
  { key: 'resultUsed', label: 'result used in the answer' },
  { key: 'succeeded', label: 'ran without failing' },
  { key: 'notRepeated', label: 'not a repeated call' },
];

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** Badges in a call's summary line: arguments, HTTP status, each problem, and the selection score. */
export function EvaluationBadges({ call }: { call: ToolCallView }) {
  const evaluation = call.evaluation;
  if (!evaluation) {
    return call.problems.length > 0 ? <span className="tool-problems">{call.problems.join('; ')}</span> : null;
  }
  const args = ARGUMENTS[evaluation.arguments];
  const http = evaluation.httpStatus;
  return (
    <span className="tool-badges" data-testid="tool-badges">
      {args ? (
        <span className={`badge ${evaluation.arguments === 'valid' ? 'badge-ok' : 'badge-bad'}`} data-testid="badge-arguments">
          {args}
        </span>
      ) : null}
      {http !== null && http < 400 ? <span className="badge">HTTP {http}</span> : null}
      {evaluation.problems.map((problem, i) =>
        // Which arguments were wrong is a list of its own in the expanded call; the badge above says they were.
        problem.kind === 'schema-mismatch' ? null : (
          <span key={i} className="badge badge-bad" data-testid="badge-problem">
            {problemText(problem)}
          </span>
        ),
      )}
      {evaluation.selection ? (
        <span className={`badge ${scoreClass(evaluation.selection.score)}`} data-testid="badge-score">
          tool choice {percent(evaluation.selection.score)}
        </span>
      ) : null}
    </span>
  );
}

/** The selection score's criteria, in the expanded call: why it scored what it did. */
export function EvaluationDetails({ evaluation }: { evaluation: ToolCallEvaluation | null }) {
  const issues = evaluation?.problems.flatMap((p) => (p.kind === 'schema-mismatch' ? p.issues : [])) ?? [];
  const selection = evaluation?.selection;
  return (
    <>
      {issues.length > 0 ? (
        <>
          <span>What is wrong with the arguments</span>
          <ul className="tool-criteria" data-testid="tool-argument-issues">
            {issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </>
      ) : null}
      {selection ? <SelectionDetails selection={selection} /> : null}
    </>
  );
}

function SelectionDetails({ selection }: { selection: NonNullable<ToolCallEvaluation['selection']> }) {
  return (
    <>
      <span>Selection score</span>
      <ul className="tool-criteria" data-testid="tool-criteria">
        {CRITERIA.map(({ key, label }) => {
          const value = selection.criteria[key];
          return (
            <li key={key}>
              {label}: {value === null ? 'not known' : percent(value)}
            </li>
          );
        })}
        {selection.answerStatus !== 'complete' ? <li>scored on an answer that {selection.answerStatus === 'error' ? 'failed' : 'was stopped'}</li> : null}
      </ul>
    </>
  );
}

/** "2 tool calls · 1 failed · tool choice 74%", beside an answer's usage line. */
export function EvaluationSummaryLine({ calls }: { calls: ToolCallView[] | undefined }) {
  if (!calls?.length) return null;
  const { failures, score } = summarizeEvaluations(calls);
  const parts = [`${calls.length} tool ${calls.length === 1 ? 'call' : 'calls'}`];
  if (failures > 0) parts.push(`${failures} failed`);
  if (score !== null) parts.push(`tool choice ${percent(score)}`);
  return (
    <span
      className="message-evaluation"
      data-testid="message-evaluation"
      title="The answer's tool calls: how many, how many failed, and how well the tools were chosen (the mean selection score: the call worked, its result was used, the tool fits the request, it was not repeated)"
    >
      {parts.join(' · ')}
    </span>
  );
}

function scoreClass(score: number): string {
  if (score >= 0.75) return 'badge-ok';
  if (score >= 0.5) return 'badge-warn';
  return 'badge-bad';
}
