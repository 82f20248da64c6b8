import { CodaError, costOf, RETRYABLE_CODES, toErrorShape, type Message, type ModelPrice, type RouteStep, type Session, type Usage } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatTurn, ToolCallRequest } from '../providers/types.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { AttachmentsRepository } from '../store/repositories/attachments.js';
import type { ToolPolicy } from '../settings/preferences.js';
import type { ApprovalGate } from '../tools/approval.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { AppEvents } from '../runs/app-events.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { FinishedAnswer, MessagesRepository } from '../store/repositories/messages.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import { newId } from '../util/ids.js';
import { TokenCountCache } from './estimate.js';
import { ProgressSaver } from './progress-saver.js';
import { generateTitle } from './titles.js';

/** What a run learned from the provider, kept across fallback attempts. */
interface Outcome {
  usage: Usage | null;
  responseId: string | null;
  estimatedInputTokens: number | null;
}

/** How much of the visible conversation is sent as context until context management (a later issue) takes over. */
const HISTORY_LIMIT = 200;

export interface ChatServiceDeps {
  sessions: SessionsRepository;
  messages: MessagesRepository;
  providers: ProviderRegistry;
  tools: ToolRegistry;
  agent: AgentRepository;
  attachments: AttachmentsRepository;
  approvals: ApprovalGate;
  /** The user's rule for a tool: run it, ask first, or never. */
  toolPolicy: (toolId: string) => ToolPolicy;
  runs: RunRegistry;
  appEvents: AppEvents;
  /** Prices the user set per model, over the built-in table. */
  priceOverrides?: () => Readonly<Record<string, ModelPrice>>;
  flushIntervalMs?: number;
}

export interface StartedRun {
  runId: string;
  assistantMessage: Message;
  /** Settles when the answer is saved in its final state; callers that stream need not wait for it. */
  finished: Promise<Message>;
}

/** Starts answers, streams them through the run registry and saves them as they arrive. */
export class ChatService {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly tokenCounts = new TokenCountCache();

  constructor(private readonly deps: ChatServiceDeps) {}

  async send(
    sessionId: string,
    text: string,
    parentId: string | null | undefined,
    approval?: ToolPolicy,
    resources: { server: string; uri: string }[] = [],
  ): Promise<StartedRun & { userMessage: Message }> {
    const session = await this.deps.sessions.require(sessionId);
    const parentRef = parentId === undefined ? session.activeLeafId : parentId;
    const parent = parentRef ? await this.deps.messages.require(parentRef) : null;
    if (parent && parent.sessionId !== sessionId) throw new CodaError('validation', 'The parent message belongs to another session.');
    if (parent?.status === 'streaming') throw new CodaError('conflict', 'The previous answer is still streaming: stop it or wait for it to finish.');
    // Resources are read before anything is saved, so one that cannot be read stops the send with its reason.
    const attached = await Promise.all(
      resources.map(async ({ server, uri }) => {
        const content = await this.deps.tools.readResource(server, uri);
        return this.deps.attachments.prepare(sessionId, { name: uri, mimeType: content.mimeType ?? 'text/plain', text: content.text });
      }),
    );
    const { user, assistant } = await this.deps.messages.addExchange(sessionId, parent, text, this.assistantMeta(session), attached);
    await this.announce(sessionId);
    return { ...this.run(session, assistant, approval), userMessage: user };
  }

  /** Answers the user message above `messageId` again, as a new branch beside it. */
  async retry(messageId: string): Promise<StartedRun> {
    const previous = await this.deps.messages.require(messageId);
    if (previous.role !== 'assistant' || !previous.parentId) throw new CodaError('validation', 'Only an answer can be retried.');
    if (previous.status === 'streaming') throw new CodaError('conflict', 'This answer is still streaming; stop it first.');
    const session = await this.deps.sessions.require(previous.sessionId);
    const parent = await this.deps.messages.require(previous.parentId);
    const assistant = await this.deps.messages.addAnswer(session.id, parent, this.assistantMeta(session));
    await this.announce(session.id);
    return this.run(session, assistant);
  }

  /** Tells every window the session moved (new activity, message count) so sidebars reorder. */
  private async announce(sessionId: string): Promise<void> {
    const session = await this.deps.sessions.find(sessionId);
    if (session) this.deps.appEvents.emit({ type: 'session-changed', session });
  }

  stop(runId: string): boolean {
    return this.deps.runs.stop(runId);
  }

  /** Waits for every answer under way to be saved (used at shutdown and in tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private assistantMeta(session: Session) {
    return { provider: session.settings.provider, model: session.settings.model, estimatedInputTokens: null, traceId: null };
  }

  private run(session: Session, assistant: Message, approval?: ToolPolicy): StartedRun {
    const runId = newId();
    const signal = this.deps.runs.start(runId, session.id, assistant.id);
    this.deps.runs.emit(runId, {
      type: 'started',
      sessionId: session.id,
      messageId: assistant.id,
      provider: session.settings.provider,
      model: session.settings.model,
    });
    const finished = this.stream(runId, session, assistant, signal, approval).finally(() => {
      this.deps.runs.finish(runId);
      this.inFlight.delete(finished);
    });
    this.inFlight.add(finished);
    return { runId, assistantMessage: assistant, finished };
  }

  private async stream(runId: string, session: Session, assistant: Message, signal: AbortSignal, approval?: ToolPolicy): Promise<Message> {
    const { messages, runs } = this.deps;
    const saver = new ProgressSaver((s) => messages.saveProgress(assistant.id, s.text, s.reasoning, s.firstTokenAt), this.deps.flushIntervalMs);
    const plan = [{ provider: session.settings.provider, model: session.settings.model }, ...session.settings.fallbacks];
    const route: RouteStep[] = [];
    const outcome: Outcome = { usage: null, responseId: null, estimatedInputTokens: null };
    let target = plan[0]!;
    try {
      const { turns: history, ids } = await this.history(session, assistant);
      // Counted once the request is on its way, so the estimate never delays the first token.
      setImmediate(() => {
        outcome.estimatedInputTokens = this.tokenCounts.estimate(history, ids);
      });
      for (let i = 0; ; i++) {
        target = plan[i]!;
        try {
          await this.answerWith(runId, target, session, assistant, history, signal, saver, outcome, approval);
          break;
        } catch (error) {
          const shape = toErrorShape(error);
          const next = plan[i + 1];
          // Fall back only while nothing reached the user and the failure is one another provider may not have.
          const canFallBack = next && !saver.hasContent && !signal.aborted && (RETRYABLE_CODES.has(shape.code) || shape.code === 'provider_not_configured');
          if (!canFallBack) throw error;
          route.push({ ...target, error: shape });
          runs.emit(runId, { type: 'fallback', from: target, to: next, error: shape });
        }
      }
      await saver.stop();
      const final = await messages.finish(assistant.id, this.finished('complete', target, route, saver, outcome, null));
      runs.emit(runId, { type: 'done', message: final });
      if (assistant.depth === 1) this.titleInBackground(session, final);
      return final;
    } catch (error) {
      await saver.stop();
      const shape = toErrorShape(error);
      const cancelled = signal.aborted || shape.code === 'cancelled';
      if (route.length > 0 && !cancelled) route.push({ ...target, error: shape });
      const final = await messages.finish(
        assistant.id,
        this.finished(cancelled ? 'interrupted' : 'error', target, route, saver, outcome, cancelled ? null : shape),
      );
      if (cancelled) runs.emit(runId, { type: 'done', message: final });
      else runs.emit(runId, { type: 'error', error: shape, message: final });
      return final;
    }
  }

  /**
   * The agent loop with one provider: ask the model; if it asks for tools, run them (in parallel), give it the
   * results and ask again, until it answers without tools or the step limit is reached. Every step and tool call
   * is saved as its own row and streamed as events.
   */
  private async answerWith(
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
    const { definitions } = enabled.length > 0 ? await this.deps.tools.definitions(enabled) : { definitions: [] };
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
            calls.push({ id: event.id, name: event.name, arguments: event.arguments });
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
    const result = await this.deps.tools.execute(call.name, call.arguments, signal);
    await this.deps.agent.finishCall(row.id, {
      status: result.isError ? 'error' : 'success',
      output: result.output,
      error: result.isError ? result.modelText.slice(0, 2000) : null,
      evaluation: { ...result.evaluation },
    });
    this.deps.runs.emit(runId, { type: 'tool-result', toolCallId: call.id, output: result.isError ? result.modelText : result.output, isError: result.isError });
    return { text: result.modelText, isError: result.isError };
  }

  private finished(
    status: FinishedAnswer['status'],
    target: { provider: string; model: string },
    route: RouteStep[],
    saver: ProgressSaver,
    outcome: Outcome,
    error: FinishedAnswer['error'],
  ): FinishedAnswer {
    return {
      status,
      ...target,
      route: route.length > 0 && status === 'complete' ? [...route, { ...target, error: null }] : route,
      estimatedInputTokens: outcome.estimatedInputTokens,
      ...saver.snapshot(),
      usage: outcome.usage,
      costUsd: outcome.usage ? costOf(target.provider, target.model, outcome.usage, this.deps.priceOverrides?.()) : null,
      providerResponseId: outcome.responseId,
      error,
    };
  }

  /** The conversation up to (not including) the new answer, as provider turns. */
  private async history(session: Session, assistant: Message): Promise<{ turns: ChatTurn[]; ids: (string | null)[] }> {
    const turns: ChatTurn[] = [];
    const ids: (string | null)[] = [];
    if (session.settings.systemPrompt.trim()) {
      turns.push({ role: 'system', content: session.settings.systemPrompt });
      ids.push(null);
    }
    if (!assistant.parentId) return { turns, ids };
    for (const message of await this.deps.messages.historyTurns(assistant.parentId, HISTORY_LIMIT)) {
      if (message.role === 'assistant' && (message.status === 'error' || !message.text)) continue;
      if (message.role === 'user' || message.role === 'assistant') {
        turns.push({ role: message.role, content: message.text });
        ids.push(message.id);
      }
    }
    return { turns, ids };
  }

  private titleInBackground(session: Session, answer: Message): void {
    const task = (async () => {
      const current = await this.deps.sessions.find(session.id);
      if (!current || current.titleSource !== 'default' || !answer.parentId) return;
      const question = await this.deps.messages.require(answer.parentId);
      const title = await generateTitle(this.deps.providers, current.settings, textOf(question), textOf(answer));
      const renamed = await this.deps.sessions.rename(session.id, title, 'auto');
      this.deps.appEvents.emit({ type: 'session-changed', session: renamed });
    })().catch(() => {
      // A title is a nicety; the default title stays when anything goes wrong.
    });
    const tracked = task.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

export function textOf(message: Message): string {
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
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
