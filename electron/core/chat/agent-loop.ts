import { CodaError, type ElicitationRecord, type Message, type Session, type Usage } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatTurn, ToolCallRequest } from '../providers/types.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { ToolPolicy } from '../settings/preferences.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { ApprovalGate } from '../tools/approval.js';
import type { ElicitationBroker } from '../tools/elicitation/broker.js';
import type { ExecutedCall, ToolRegistry } from '../tools/tool-registry.js';
import type { ProgressSaver } from './progress-saver.js';

export interface AgentLoopDeps {
  providers: ProviderRegistry;
  tools: ToolRegistry;
  agent: AgentRepository;
  approvals: ApprovalGate;
  elicitations: ElicitationBroker;
  /** The user's rule for a tool: run it, ask first, or never. */
  toolPolicy: (toolId: string) => ToolPolicy;
  runs: RunRegistry;
}

/** What a run learned from the provider, kept across fallback attempts. */
export interface Outcome {
  usage: Usage | null;
  responseId: string | null;
  estimatedInputTokens: number | null;
}

/** The agent's steps for one answer with one provider: model turns, tool calls, approvals. */
export class AgentLoop {
  constructor(private readonly deps: AgentLoopDeps) {}

  /**
   * The agent loop with one provider: ask the model; if it asks for tools, run them (in parallel), give it the
   * results and ask again, until it answers without tools or the step limit is reached. Every step and tool call
   * is saved as its own row and streamed as events.
   */
  async answer(
    runId: string,
    target: { provider: string; model: string },
    session: Session,
    assistant: Message,
    history: ChatTurn[],
    signal: AbortSignal,
    saver: ProgressSaver,
    outcome: Outcome,
    approval?: ToolPolicy,
  ): Promise<void> {
    const { runs } = this.deps;
    const provider = this.deps.providers.get(target.provider);
    const enabled = session.settings.enabledTools;
    const { definitions, unavailable } = enabled.length > 0 ? await this.deps.tools.definitions(enabled) : { definitions: [], unavailable: [] };
    if (unavailable.length > 0) runs.emit(runId, { type: 'tools-unavailable', servers: unavailable });
    const turns = [...history];
    const seen = new Map<string, number>();
    let callOrdinal = 0;
    for (let step = 0; ; step++) {
      const startedAt = Date.now();
      let text = '';
      let reasoning = '';
      const calls: ToolCallRequest[] = [];
      const request = { model: target.model, messages: turns, temperature: session.settings.temperature, signal, ...(definitions.length ? { tools: definitions } : {}) };
      for await (const event of provider.stream(request)) {
        switch (event.type) {
          case 'text':
            text += event.text;
            saver.appendText(event.text);
            runs.emit(runId, { type: 'text-delta', text: event.text });
            break;
          case 'reasoning':
            reasoning += event.text;
            saver.appendReasoning(event.text);
            runs.emit(runId, { type: 'reasoning-delta', text: event.text });
            break;
          case 'tool-call':
            // The signature (Gemini's) must go back with its call on the next step.
            calls.push({ id: event.id, name: event.name, arguments: event.arguments, ...(event.signature ? { signature: event.signature } : {}) });
            saver.noteActivity();
            runs.emit(runId, { type: 'tool-call', toolCallId: event.id, name: event.name, arguments: event.arguments });
            break;
          case 'usage':
            outcome.usage = addUsage(outcome.usage, event.usage);
            runs.emit(runId, { type: 'usage', usage: outcome.usage });
            break;
          case 'response-id':
            outcome.responseId = event.id;
            break;
          case 'retry':
            runs.emit(runId, { type: 'retry', attempt: event.attempt, delayMs: event.delayMs, error: event.error });
            break;
          case 'connected':
            break;
        }
      }
      const stepRow = await this.deps.agent.addStep({
        messageId: assistant.id,
        ordinal: step,
        kind: calls.length > 0 ? 'tool-selection' : 'synthesis',
        content: text || reasoning,
        startedAt,
        finishedAt: Date.now(),
      });
      if (calls.length === 0) return;
      if (step + 1 >= session.settings.maxSteps) {
        throw new CodaError('step_limit', `Stopped after ${session.settings.maxSteps} steps: the model kept calling tools. Raise the step limit in Chat settings or ask more narrowly.`);
      }
      // Paragraphs of different steps stay apart in the visible answer.
      if (text && !text.endsWith('\n')) saver.appendText('\n\n');
      turns.push({ role: 'assistant', content: text, toolCalls: calls });
      const results = await Promise.all(calls.map((call) => this.runTool(runId, assistant.id, stepRow.id, callOrdinal++, call, seen, signal, approval)));
      calls.forEach((call, i) => turns.push({ role: 'tool', toolCallId: call.id, name: call.name, content: results[i]!.text, isError: results[i]!.isError }));
    }
  }

  /** Runs one tool call the model asked for, unless it repeats an earlier call exactly; saves and streams the result. */
  private async runTool(
    runId: string,
    messageId: string,
    stepId: string,
    ordinal: number,
    call: ToolCallRequest,
    seen: Map<string, number>,
    signal: AbortSignal,
    approval?: ToolPolicy,
  ): Promise<{ text: string; isError: boolean }> {
    const key = `${call.name}\u0000${canonicalJson(call.arguments)}`;
    const repeats = seen.get(key) ?? 0;
    seen.set(key, repeats + 1);
    const [server = '', tool = call.name] = call.name.split('__');
    const row = await this.deps.agent.startCall({ messageId, stepId, ordinal, server, tool, providerCallId: call.id, input: parseJson(call.arguments) });
    if (repeats > 0) {
      const text = `You already called ${call.name} with exactly these arguments in this answer; its result is above. Use it, or call the tool with different arguments.`;
      await this.deps.agent.finishCall(row.id, { status: 'error', output: null, error: text, evaluation: { repeated: true, problems: ['same call repeated'] } });
      this.deps.runs.emit(runId, { type: 'tool-result', toolCallId: call.id, output: text, isError: true });
      return { text, isError: true };
    }
    const known = this.deps.tools.find(call.name);
    // Unknown tools go straight to the registry, which tells the model what exists; there is nothing to approve.
    if (known) {
      const policy = approval ?? this.deps.toolPolicy(call.name);
      let allowed = policy === 'auto';
      if (policy === 'ask') {
        await this.deps.agent.markPending(row.id);
        // Wait first, then ask: an answer may come back before this function resumes.
        const decision = this.deps.approvals.request(runId, call.id, signal);
        this.deps.runs.emit(runId, { type: 'approval-request', toolCallId: call.id, server: known.server, tool: known.name, arguments: parseJson(call.arguments), readOnly: known.readOnly });
        allowed = await decision;
        if (signal.aborted) throw new CodaError('cancelled', 'Stopped.');
      }
      if (!allowed) {
        const text = `The user did not allow ${call.name} to run${policy === 'deny' ? ' (its setting is "never")' : ''}. Answer without it, or explain what it would have done.`;
        await this.deps.agent.finishCall(row.id, { status: 'denied', output: null, error: text, evaluation: { problems: ['denied'] } });
        this.deps.runs.emit(runId, { type: 'tool-result', toolCallId: call.id, output: text, isError: true });
        return { text, isError: true };
      }
    }
    // While it runs, its server may ask the user something (elicitation): the question comes to this run.
    const asked: ElicitationRecord[] = [];
    const release = this.deps.elicitations.track({
      runId,
      toolCallId: call.id,
      server,
      signal,
      ask: (question) => this.deps.runs.emit(runId, { type: 'elicitation-request', ...question }),
      settle: (record) => {
        asked.push(record);
        this.deps.runs.emit(runId, { type: 'elicitation-answered', elicitationId: record.id, toolCallId: call.id, action: record.action, content: record.content, endedBy: record.endedBy });
      },
    });
    const elicitations = () => (asked.length > 0 ? { elicitations: asked } : {});
    let result: ExecutedCall;
    try {
      result = await this.deps.tools.execute(call.name, call.arguments, signal);
    } catch (error) {
      release();
      // A stopped call is saved as stopped, with what its server asked meanwhile.
      if (signal.aborted) await this.deps.agent.finishCall(row.id, { status: 'cancelled', output: null, error: 'Stopped.', evaluation: { problems: ['stopped'], ...elicitations() } }).catch(() => undefined);
      throw error;
    }
    release();
    await this.deps.agent.finishCall(row.id, {
      status: result.isError ? 'error' : 'success',
      output: result.output,
      error: result.isError ? result.modelText.slice(0, 2000) : null,
      evaluation: { ...result.evaluation, ...elicitations() },
    });
    this.deps.runs.emit(runId, { type: 'tool-result', toolCallId: call.id, output: result.isError ? result.modelText : result.output, isError: result.isError });
    return { text: result.modelText, isError: result.isError };
  }
}

/** Usage of every model turn of one answer, added up (each turn is billed). */
function addUsage(total: Usage | null, next: Usage): Usage {
  if (!total) return next;
  return {
    inputTokens: total.inputTokens + next.inputTokens,
    outputTokens: total.outputTokens + next.outputTokens,
    cachedInputTokens: total.cachedInputTokens + next.cachedInputTokens,
    cacheWriteTokens: total.cacheWriteTokens + next.cacheWriteTokens,
    reasoningTokens: total.reasoningTokens + next.reasoningTokens,
  };
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
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]))
        : value;
  const parsed = parseJson(text);
  return typeof parsed === 'string' ? parsed : JSON.stringify(sort(parsed));
}
