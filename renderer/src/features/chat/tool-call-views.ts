// Straight from their modules: the renderer takes only this runtime code, not the whole contract's.
import type { ElicitationAction, ElicitationContent, ElicitationEnd, ElicitationRecord, ElicitationSchema } from '../../../../shared/contract/elicitation.js';
import { problemText, type ToolCallEvaluation } from '../../../../shared/contract/tool-evaluation.js';
import type { RunEvent, ToolCall } from '../../../../shared/index.js';

/*
 * Tool calls as the conversation shows them: built live from run events, or read back from the store once an
 * answer is saved. Pure functions, so the store only decides when they apply.
 */

/** A tool server's question during a call: open (a form to fill) until `answer` is set. */
export interface ElicitationView {
  id: string;
  /** The run to answer through; null once read back from the store (it can no longer be answered). */
  runId: string | null;
  serverLabel: string;
  message: string;
  requestedSchema: ElicitationSchema;
  answer: { action: ElicitationAction; content: ElicitationContent | null; endedBy: ElicitationEnd } | null;
}

/** A tool call as the conversation shows it: live from run events, or read back from the store. */
export interface ToolCallView {
  /** Coda's id for the call (its tool_calls row): run events name it, and approving it answers exactly this call. */
  key: string;
  name: string;
  input: unknown;
  output: unknown;
  status: 'running' | 'success' | 'error' | 'pending' | 'denied' | 'cancelled';
  durationMs: number | null;
  problems: string[];
  /** What core found about the call (arguments, problems, selection score); null until it is read back from the store. */
  evaluation: ToolCallEvaluation | null;
  /** Set while the call waits for the user's answer. */
  approval?: { runId: string; server: string; serverLabel: string; readOnly: boolean };
  /** Questions its server asked the user while it ran (MCP elicitation). */
  elicitations?: ElicitationView[];
}

type ToolCallEvent = Extract<RunEvent, { type: 'tool-call' | 'approval-request' | 'elicitation-request' | 'elicitation-answered' | 'tool-result' }>;

/** An answer's tool calls after one of its run's tool events. */
export function applyToolCallEvent(calls: ToolCallView[], event: ToolCallEvent): ToolCallView[] {
  const change = (update: (call: ToolCallView) => ToolCallView) => calls.map((c) => (c.key === event.toolCallId ? update(c) : c));
  switch (event.type) {
    case 'tool-call':
      return [
        ...calls,
        {
          key: event.toolCallId,
          name: event.name,
          input: parseArguments(event.arguments),
          output: null,
          status: 'running',
          durationMs: null,
          problems: [],
          evaluation: null,
        },
      ];
    case 'approval-request':
      return change((c) => ({
        ...c,
        status: 'pending',
        approval: { runId: event.runId, server: event.server, serverLabel: event.serverLabel, readOnly: event.readOnly },
      }));
    case 'elicitation-request':
      return change((c) => ({
        ...c,
        // Its server is asking, so the call was allowed and runs: the approval prompt has done its job.
        status: c.status === 'pending' ? 'running' : c.status,
        approval: undefined,
        elicitations: [
          ...(c.elicitations ?? []),
          {
            id: event.elicitationId,
            runId: event.runId,
            serverLabel: event.serverLabel,
            message: event.message,
            requestedSchema: event.requestedSchema,
            answer: null,
          },
        ],
      }));
    case 'elicitation-answered':
      return change((c) => ({
        ...c,
        elicitations: c.elicitations?.map((e) =>
          e.id === event.elicitationId ? { ...e, answer: { action: event.action, content: event.content, endedBy: event.endedBy } } : e,
        ),
      }));
    case 'tool-result':
      return change((c) =>
        c.status === 'running' || c.status === 'pending' ? { ...c, output: event.output, status: event.isError ? 'error' : 'success', approval: undefined } : c,
      );
  }
}

/** Saved tool calls (with timings, evaluation and the questions asked), grouped by the answer they belong to. */
export function toolCallViewsByMessage(toolCalls: ToolCall[]): Record<string, ToolCallView[]> {
  const byMessage: Record<string, ToolCallView[]> = {};
  for (const call of toolCalls) {
    const evaluation = call.evaluation;
    (byMessage[call.messageId] ??= []).push({
      key: call.id,
      // A tool no server has is shown by the name the model gave it.
      name: call.server === null ? call.tool : `${call.server}__${call.tool}`,
      input: call.input,
      output: call.status === 'error' ? (call.error ?? call.output) : call.output,
      status: call.status,
      durationMs: evaluation?.durationMs ?? (call.startedAt !== null && call.finishedAt !== null ? call.finishedAt - call.startedAt : null),
      problems: (evaluation?.problems ?? []).map(problemText),
      evaluation,
      elicitations: (evaluation?.elicitations ?? []).map(recordView),
    });
  }
  return byMessage;
}

function recordView(record: ElicitationRecord): ElicitationView {
  return {
    id: record.id,
    runId: null,
    serverLabel: record.serverLabel,
    message: record.message,
    requestedSchema: record.requestedSchema,
    answer: { action: record.action, content: record.content, endedBy: record.endedBy },
  };
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}

/** A call's status in the words every view of it uses (the card under an answer, the Steps panel). */
export const STATUS_LABEL: Record<ToolCallView['status'], string> = {
  running: 'running…',
  success: 'ok',
  error: 'failed',
  pending: 'waiting for you',
  denied: 'denied',
  cancelled: 'cancelled',
};
