import { z } from 'zod';
import { ElicitationRecord } from './elicitation.js';

/*
 * How core judges one tool call (decision 0020): what it found when the call ended, and a selection score once
 * the answer ended. Core writes it (electron/core/chat/tool-evaluation.ts holds the heuristic); the UI and the CLI
 * only show it, through the helpers below, so every surface words a problem the same way.
 */

/** Who kept a call from running. */
export const RefusedBy = z.enum(['rule', 'override', 'user']);
export type RefusedBy = z.infer<typeof RefusedBy>;

/** One thing wrong with a call, as detected. */
export const ToolCallProblem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invalid-json') }),
  /** The arguments do not match the tool's JSON Schema; `issues` as ajv words them. */
  z.object({ kind: z.literal('schema-mismatch'), issues: z.array(z.string()) }),
  /** The server's input schema is itself not valid JSON Schema, so the call could not be checked or made. */
  z.object({ kind: z.literal('invalid-schema') }),
  z.object({ kind: z.literal('unknown-tool') }),
  /** The tool answered with its error flag set (MCP `isError`, or an HTTP error of an OpenAPI call). */
  z.object({ kind: z.literal('tool-error') }),
  /** An OpenAPI call answered with an HTTP error status. */
  z.object({ kind: z.literal('http-status'), status: z.number().int() }),
  z.object({ kind: z.literal('empty-output') }),
  /** The output was longer than what goes back to the model: only `sentChars` of `outputChars` were sent. */
  z.object({ kind: z.literal('truncated'), outputChars: z.number().int().nonnegative(), sentChars: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('timed-out') }),
  /** The call could not be made (its server is down, the network failed). */
  z.object({ kind: z.literal('call-failed') }),
  /** The same tool with the same arguments earlier in this answer: answered from that result, not run again. */
  z.object({ kind: z.literal('repeated') }),
  z.object({ kind: z.literal('refused'), by: RefusedBy }),
  z.object({ kind: z.literal('stopped') }),
  /** The provider gave two calls of one turn the same id; this one was renamed (decision 0006). */
  z.object({ kind: z.literal('renamed-call-id'), from: z.string() }),
]);
export type ToolCallProblem = z.infer<typeof ToolCallProblem>;

/**
 * The criteria of the selection score, each 0 to 1, or null when it cannot be known for this call (decision 0020):
 * - relevance: the request's terms found in the tool's name, description or arguments;
 * - resultUsed: the result's salient terms (numbers, words) found in the final answer;
 * - succeeded: it ran and gave output (1), gave empty output (0.5), failed (0);
 * - notRepeated: it was not the same call as an earlier one in the answer.
 */
export const SelectionCriteria = z.object({
  relevance: z.number().min(0).max(1).nullable(),
  resultUsed: z.number().min(0).max(1).nullable(),
  succeeded: z.number().min(0).max(1).nullable(),
  notRepeated: z.number().min(0).max(1),
});
export type SelectionCriteria = z.infer<typeof SelectionCriteria>;

export const SelectionScore = z.object({
  /** The weighted mean of the criteria that are known, 0 (a poor choice) to 1 (a good one). */
  score: z.number().min(0).max(1),
  criteria: SelectionCriteria,
  /** How the answer ended when the score was made: a stopped or failed answer has no final text to compare. */
  answerStatus: z.enum(['complete', 'interrupted', 'error']),
});
export type SelectionScore = z.infer<typeof SelectionScore>;

/** What core found about one tool call. */
export const ToolCallEvaluation = z.object({
  /** Checked against the tool's JSON Schema before running; unchecked when the call never got that far. */
  arguments: z.enum(['valid', 'invalid', 'unchecked']),
  problems: z.array(ToolCallProblem),
  /** How long the tool ran; null when it did not run. */
  durationMs: z.number().int().nonnegative().nullable(),
  /** Length of the whole output (what is kept), before any cap for the model. */
  outputChars: z.number().int().nonnegative(),
  /** The HTTP status of an OpenAPI call; null for other tools. */
  httpStatus: z.number().int().nullable(),
  /** Null until the answer ends (and for a call saved before a crash). */
  selection: SelectionScore.nullable(),
  /** Questions its server asked the user while it ran (MCP elicitation), kept with the call. */
  elicitations: z.array(ElicitationRecord),
});
export type ToolCallEvaluation = z.infer<typeof ToolCallEvaluation>;

const REFUSED: Record<RefusedBy, string> = { rule: 'its setting is "never"', override: 'tools switched off for this answer', user: 'you said no' };

/** A problem in a few words, for a badge or a line of the CLI. */
export function problemText(problem: ToolCallProblem): string {
  switch (problem.kind) {
    case 'invalid-json':
      return 'arguments are not JSON';
    case 'schema-mismatch':
      return problem.issues.length > 0 ? `arguments do not match the schema: ${problem.issues.join('; ')}` : 'arguments do not match the schema';
    case 'invalid-schema':
      return 'the tool has an invalid input schema';
    case 'unknown-tool':
      return 'no such tool';
    case 'tool-error':
      return 'the tool reported an error';
    case 'http-status':
      return `HTTP ${problem.status}`;
    case 'empty-output':
      return 'empty output';
    case 'truncated':
      return `output cut to ${problem.sentChars.toLocaleString('en')} of ${problem.outputChars.toLocaleString('en')} characters for the model`;
    case 'timed-out':
      return 'timed out';
    case 'call-failed':
      return 'call failed';
    case 'repeated':
      return 'same call repeated';
    case 'refused':
      return REFUSED[problem.by];
    case 'stopped':
      return 'stopped';
    case 'renamed-call-id':
      return `the provider reused the call id "${problem.from}"; it was renamed`;
  }
}

/** What an answer's tool calls add up to, beside its usage line. */
export interface EvaluationSummary {
  calls: number;
  /** Calls that ended in an error. */
  failures: number;
  /** Mean selection score of the scored calls; null when none is scored yet. */
  score: number | null;
}

export function summarizeEvaluations(calls: { status: string; evaluation: ToolCallEvaluation | null }[]): EvaluationSummary {
  const scores = calls.flatMap((c) => (c.evaluation?.selection ? [c.evaluation.selection.score] : []));
  return {
    calls: calls.length,
    failures: calls.filter((c) => c.status === 'error').length,
    score: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
  };
}
