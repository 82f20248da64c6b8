import { CodaError, type ElicitationRecord, type RefusedBy, type ToolCall, type ToolCallEvaluation, type ToolCallProblem } from '../../../shared/index.js';
import type { RegisteredTool, ExecutedCall } from '../tools/tool-registry.js';
import { traceApprovalWait, traceToolCall } from '../tracing/genai.js';
import type { AgentLoopDeps, AgentRun, RequestedCall } from './agent-run.js';

/** What goes back to the model for one call. */
export interface CallResult {
  text: string;
  isError: boolean;
}

/** The tool calls of one answer so far, across its steps. */
export interface AnswerCalls {
  /** How often each exact call (tool and arguments) was made, to refuse repeats. */
  seen: Map<string, number>;
  ordinal: number;
}

/** Whether a known tool may run, and who refused it. */
type Permission = { run: true } | { run: false; refusedBy: RefusedBy };

/** Runs the calls of the agent's turns: repeats refused, approvals asked, servers' questions routed, all saved. */
export class ToolCallRunner {
  constructor(private readonly deps: AgentLoopDeps) {}

  begin(): AnswerCalls {
    return { seen: new Map(), ordinal: 0 };
  }

  /** Every call of one turn, run in parallel; the results come in the calls' order. */
  runAll(run: AgentRun, answer: AnswerCalls, stepId: string, calls: RequestedCall[]): Promise<CallResult>[] {
    // Each tool as its server lists it now (a server offered from a kept list is started first; see `resolve`),
    // looked up for all calls before any runs, so the calls are still saved and asked about in the model's order.
    const tools = Promise.all(calls.map((call) => this.deps.tools.resolve(call.name)));
    return calls.map((call, i) => {
      const [ordinal, repeated] = [answer.ordinal++, this.isRepeat(answer, call)];
      return tools.then((known) =>
        traceToolCall(this.deps.tracing, { ...call, server: known[i]?.server ?? null }, () => this.run(run, stepId, ordinal, repeated, call, known[i])),
      );
    });
  }

  private isRepeat(answer: AnswerCalls, call: RequestedCall): boolean {
    const key = `${call.name}\u0000${canonicalJson(call.arguments)}`;
    const repeats = answer.seen.get(key) ?? 0;
    answer.seen.set(key, repeats + 1);
    return repeats > 0;
  }

  /** Runs one call unless it repeats an earlier one exactly or is not allowed; saves and streams the result. */
  /** `known`: the tool as the registry knows it (which server it is on); a name it does not know is kept as written. */
  private async run(
    run: AgentRun,
    stepId: string,
    ordinal: number,
    repeated: boolean,
    call: RequestedCall,
    known: RegisteredTool | undefined,
  ): Promise<CallResult> {
    const { agent, runs } = this.deps;
    const row = await agent.startCall({
      id: call.id,
      messageId: run.assistant.id,
      stepId,
      ordinal,
      server: known?.server ?? null,
      tool: known?.name ?? call.name,
      providerCallId: call.providerCallId,
      input: parseJson(call.arguments),
    });
    const noted: ToolCallProblem[] = call.renamedFrom === null ? [] : [{ kind: 'renamed-call-id', from: call.renamedFrom }];
    const refuse = async (text: string, status: 'error' | 'denied', problem: ToolCallProblem): Promise<CallResult> => {
      await agent.finishCall(row.id, { status, output: null, error: text, evaluation: notRun([...noted, problem]) });
      runs.emit(run.runId, { type: 'tool-result', toolCallId: call.id, output: text, isError: true });
      return { text, isError: true };
    };
    if (repeated) {
      const text = `You already called ${call.name} with exactly these arguments in this answer; its result is above. Use it, or call the tool with different arguments.`;
      return refuse(text, 'error', { kind: 'repeated' });
    }
    // Unknown tools go straight to the registry, which tells the model what exists; there is nothing to approve.
    if (known) {
      const permission = await this.permission(run, row, known);
      if (!permission.run) return refuse(refusal(call.name, permission.refusedBy), 'denied', { kind: 'refused', by: permission.refusedBy });
      // Starts its server again if it stopped since its tools were listed (it crashed, or was killed).
      await this.deps.tools.definitions([known.server]);
    }
    const { result, elicitations } = await this.execute(run, row, known, call);
    await agent.finishCall(row.id, {
      status: result.isError ? 'error' : 'success',
      output: result.output,
      error: result.isError ? result.modelText.slice(0, 2000) : null,
      // The selection score needs the final answer: it is added when the answer ends (answer-evaluation.ts).
      evaluation: { ...result.evaluation, problems: [...noted, ...result.evaluation.problems], selection: null, elicitations },
    });
    runs.emit(run.runId, { type: 'tool-result', toolCallId: call.id, output: result.isError ? result.modelText : result.output, isError: result.isError });
    return { text: result.modelText, isError: result.isError };
  }

  /** The answer's override or the tool's rule; asks the user when that says so. */
  private async permission(run: AgentRun, row: ToolCall, tool: RegisteredTool): Promise<Permission> {
    const policy = run.approvalOverride ?? this.deps.toolPolicy(tool.id);
    if (policy === 'auto') return { run: true };
    if (policy === 'deny') return { run: false, refusedBy: run.approvalOverride ? 'override' : 'rule' };
    await this.deps.agent.markPending(row.id);
    // Wait first, then ask: an answer may come back before this function resumes. The approval names this call
    // by Coda's own id, so an answer can never reach another call, whatever ids the provider gave.
    const decision = this.deps.approvals.request(run.runId, row.id, run.signal);
    this.deps.runs.emit(run.runId, {
      type: 'approval-request',
      toolCallId: row.id,
      server: tool.server,
      serverLabel: tool.serverLabel,
      tool: tool.name,
      arguments: row.input,
      readOnly: tool.readOnly,
    });
    const allowed = await traceApprovalWait(this.deps.tracing, () => decision);
    if (run.signal.aborted) throw new CodaError('cancelled', 'Stopped.');
    return allowed ? { run: true } : { run: false, refusedBy: 'user' };
  }

  /** Calls the tool; while it runs, its server may ask the user something (elicitation), which comes to this run. */
  private async execute(
    run: AgentRun,
    row: ToolCall,
    tool: RegisteredTool | undefined,
    call: RequestedCall,
  ): Promise<{ result: ExecutedCall; elicitations: ElicitationRecord[] }> {
    const { runs, agent } = this.deps;
    const asked: ElicitationRecord[] = [];
    const release = tool
      ? this.deps.elicitations.track({
          runId: run.runId,
          toolCallId: call.id,
          server: tool.server,
          signal: run.signal,
          ask: (question) => runs.emit(run.runId, { type: 'elicitation-request', ...question }),
          settle: (record) => {
            asked.push(record);
            runs.emit(run.runId, {
              type: 'elicitation-answered',
              elicitationId: record.id,
              toolCallId: call.id,
              action: record.action,
              content: record.content,
              endedBy: record.endedBy,
            });
          },
        })
      : () => undefined;
    let result: ExecutedCall;
    try {
      result = await this.deps.tools.execute(call.name, call.arguments, run.signal);
    } catch (error) {
      release();
      // A stopped call is saved as stopped, with what its server asked meanwhile.
      if (run.signal.aborted)
        await agent
          .finishCall(row.id, { status: 'cancelled', output: null, error: 'Stopped.', evaluation: { ...notRun([{ kind: 'stopped' }]), elicitations: asked } })
          .catch(() => undefined);
      throw error;
    }
    // Questions still open are withdrawn now, and kept with the call.
    release();
    return { result, elicitations: asked };
  }
}

/** The evaluation of a call that did not run (or did not finish): nothing checked, nothing measured. */
function notRun(problems: ToolCallProblem[]): ToolCallEvaluation {
  return { arguments: 'unchecked', problems, durationMs: null, outputChars: 0, httpStatus: null, selection: null, elicitations: [] };
}

/** What the model is told when a tool does not run: who decided, so it neither retries in vain nor blames the wrong rule. */
function refusal(name: string, refusedBy: RefusedBy): string {
  const reason = {
    rule: `The user's setting for ${name} is "never": it does not run in any answer.`,
    override: `The user ran this answer with tools switched off, so ${name} did not run.`,
    user: `The user was asked and did not allow this call of ${name}.`,
  }[refusedBy];
  return `${reason} Answer without it, or explain what it would have done.`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}

/** The same arguments written in a different key order are the same call. */
function canonicalJson(text: string): string {
  const sort = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sort)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sort(v)]),
          )
        : value;
  const parsed = parseJson(text);
  return typeof parsed === 'string' ? parsed : JSON.stringify(sort(parsed));
}
