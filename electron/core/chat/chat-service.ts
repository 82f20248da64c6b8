import { CodaError, costOf, RETRYABLE_CODES, toErrorShape, type Message, type ModelPrice, type RouteStep, type Session } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatTurn } from '../providers/types.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { AttachmentsRepository } from '../store/repositories/attachments.js';
import type { ToolPolicy } from '../settings/preferences.js';
import type { ApprovalGate } from '../tools/approval.js';
import type { ElicitationBroker } from '../tools/elicitation/broker.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { BudgetKeeper } from '../usage/budgets.js';
import type { AppEvents } from '../runs/app-events.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { FinishedAnswer, MessagesRepository } from '../store/repositories/messages.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import { traceContext, traceRun } from '../tracing/genai.js';
import type { Tracing } from '../tracing/tracing.js';
import { newId } from '../util/ids.js';
import { AgentLoop } from './agent-loop.js';
import { completeEvaluations } from './answer-evaluation.js';
import type { AgentRun, Outcome, Target } from './agent-run.js';
import { estimateInputTokens, TokenCountCache, tokenCounter } from './estimate.js';
import { ProgressSaver } from './progress-saver.js';
import { HistoryCache, type PathTurn } from './history-cache.js';
import { HISTORY_LIMIT, isSent, readHistory } from '../context/history.js';
import { NO_EXTRAS, requestExtras, type RecallAsk } from '../context/request-extras.js';
import { contextBudget } from '../context/budget.js';
import type { SummarySlot } from '../context/builder.js';
import { isExactlyCounted, type TokenCalibration } from '../context/calibration.js';
import { countingFor } from '../context/counting.js';
import type { PinsRepository } from '../store/repositories/pins.js';
import type { Recall } from '../recall/recall.js';
import { generateTitle } from './titles.js';
import { UsageMeter } from './usage-meter.js';

export interface ChatServiceDeps {
  sessions: SessionsRepository;
  messages: MessagesRepository;
  /** Pinned messages, sent with every request of their branch. */
  pins: PinsRepository;
  providers: ProviderRegistry;
  tools: ToolRegistry;
  agent: AgentRepository;
  attachments: AttachmentsRepository;
  approvals: ApprovalGate;
  /** Questions tool servers ask mid-call, routed to the run whose call is running. */
  elicitations: ElicitationBroker;
  /** The user's rule for a tool: run it, ask first, or never. */
  toolPolicy: (toolId: string) => ToolPolicy;
  runs: RunRegistry;
  appEvents: AppEvents;
  /** Spending limits, checked before anything is sent. */
  budgets: BudgetKeeper;
  /** Messages' token counts kept by id, shared with the context preview (absent: the service keeps its own). */
  tokenCounts?: TokenCountCache;
  /** Per-model corrections of the local token count, learnt from billed usage after each answer. */
  calibration: TokenCalibration;
  /** Spans of each answer; a run waits for the SDK to be loaded. */
  tracing: Tracing;
  /** Earlier messages offered before each answer (semantic recall); none without it. */
  recall?: Recall;
  /** Prices the user set per model, over the built-in table. */
  priceOverrides?: () => Readonly<Record<string, ModelPrice>>;
  flushIntervalMs?: number;
  /** The chat's summaries: the one in effect goes with each request; past the threshold, a new one is made after an answer. */
  summaries?: {
    slot(sessionId: string, leafId: string, path: readonly { id: string }[]): Promise<SummarySlot | null>;
    afterAnswer(sessionId: string): Promise<unknown>;
  };
}

/** A user message to answer: `chat.send`'s input. */
export interface SendRequest {
  sessionId: string;
  text: string;
  /** Undefined: after the chat's active leaf; null: a new root. */
  parentId?: string | null | undefined;
  /** For this answer only: every tool runs, asks, or is denied (the CLI's --approve). */
  approval?: ToolPolicy | undefined;
  resources?: { server: string; uri: string }[] | undefined;
  /** The user chose to send once although a blocking spending limit is reached. */
  overBudget?: true | undefined;
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
  private readonly tokenCounts: TokenCountCache;
  private readonly historyCache = new HistoryCache(HISTORY_LIMIT);
  private readonly loop: AgentLoop;

  constructor(private readonly deps: ChatServiceDeps) {
    this.tokenCounts = deps.tokenCounts ?? new TokenCountCache();
    this.loop = new AgentLoop(deps);
  }

  async send(request: SendRequest): Promise<StartedRun & { userMessage: Message }> {
    const { sessionId, text, parentId, approval, resources = [] } = request;
    // The tracing SDK loads while the exchange is saved (the first answer of a CLI run waits for it otherwise).
    void this.deps.tracing.load();
    const session = await this.deps.sessions.require(sessionId);
    await this.deps.budgets.assertCanSend(sessionId, request.overBudget === true);
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
    return { ...this.run(session, assistant, approval, user), userMessage: user };
  }

  /** Answers the user message above `messageId` again, as a new branch beside it. */
  async retry(messageId: string, model?: { provider: string; model: string }, overBudget = false): Promise<StartedRun> {
    const previous = await this.deps.messages.require(messageId);
    if (previous.role !== 'assistant' || !previous.parentId) throw new CodaError('validation', 'Only an answer can be retried.');
    if (previous.status === 'streaming') throw new CodaError('conflict', 'This answer is still streaming; stop it first.');
    await this.deps.budgets.assertCanSend(previous.sessionId, overBudget);
    const saved = await this.deps.sessions.require(previous.sessionId);
    // Another model answers this time only: the chat keeps its own (and its fallbacks).
    const session = model ? { ...saved, settings: { ...saved.settings, ...model } } : saved;
    const parent = await this.deps.messages.require(previous.parentId);
    const assistant = await this.deps.messages.addAnswer(session.id, parent, this.assistantMeta(session));
    await this.announce(session.id);
    return this.run(session, assistant, undefined, parent);
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

  /** `question`: the user message answered, when at hand (it lets history come from the cache). */
  private run(session: Session, assistant: Message, approval?: ToolPolicy, question?: Message): StartedRun {
    const runId = newId();
    const signal = this.deps.runs.start(runId, session.id, assistant.id);
    this.deps.runs.emit(runId, {
      type: 'started',
      sessionId: session.id,
      messageId: assistant.id,
      provider: session.settings.provider,
      model: session.settings.model,
    });
    const ids = { sessionId: session.id, messageId: assistant.id };
    const stream = () => this.stream(runId, session, assistant, signal, approval, question);
    const finished = this.deps.tracing
      .load()
      .then(() => traceRun(this.deps.tracing, session.settings, ids, stream))
      .finally(() => {
        this.deps.runs.finish(runId);
        this.inFlight.delete(finished);
      });
    this.inFlight.add(finished);
    return { runId, assistantMessage: assistant, finished };
  }

  private async stream(runId: string, session: Session, assistant: Message, signal: AbortSignal, approval?: ToolPolicy, question?: Message): Promise<Message> {
    const { messages, runs } = this.deps;
    const saver = new ProgressSaver((s) => messages.saveProgress(assistant.id, s.text, s.reasoning, s.firstTokenAt), this.deps.flushIntervalMs);
    const plan = [{ provider: session.settings.provider, model: session.settings.model }, ...session.settings.fallbacks];
    const route: RouteStep[] = [];
    const outcome: Outcome = { meter: new UsageMeter(tokenCounter(this.tokenCounts, [], [])), responseId: null, estimatedInputTokens: null };
    let target = plan[0]!;
    let estimated = Promise.resolve();
    // The pre-flight estimate counts what the builder chose for the first request; an answer that fails before one
    // was built (null) is estimated from the history.
    let requestBuilt: (turns: ChatTurn[] | null) => void = () => undefined;
    const firstRequest = new Promise<ChatTurn[] | null>((resolve) => (requestBuilt = resolve));
    try {
      const { turns: history, ids, path } = await traceContext(this.deps.tracing, () => this.history(session, assistant, question));
      // Nothing was sent yet: the meter starts again knowing the history, whose saved token counts it reuses.
      // A message's count is kept by id, so the builder and the meter count a long chat's messages once, not at every send.
      const counter = tokenCounter(this.tokenCounts, history, ids);
      outcome.meter = new UsageMeter(counter);
      const { pinned, summary, recalled } = assistant.parentId
        ? await requestExtras(this.deps, session.id, assistant.parentId, path, recallAsk(session, history, ids, signal))
        : NO_EXTRAS;
      const run: Omit<AgentRun, 'target' | 'counting'> = {
        runId,
        session,
        assistant,
        history,
        historyIds: ids,
        pinned,
        summary,
        recalled,
        signal,
        saver,
        outcome,
        approvalOverride: approval ?? null,
        requestBuilt,
      };
      // Counted once the request is on its way, so the estimate never delays the first token: by the provider where
      // it counts tokens itself (Gemini), else by the local tokenizer (corrected from billed usage).
      const first = plan[0]!;
      estimated = firstRequest.then(async (built) => {
        await new Promise((resolve) => setImmediate(resolve));
        const sent = built ?? history;
        const ratio = this.deps.calibration.ratio(first.provider, first.model);
        const local = () => Math.round(counter.input(sent, []) * ratio);
        outcome.estimatedInputTokens = await estimateInputTokens(
          () => this.deps.providers.get(first.provider),
          { model: first.model, messages: sent, signal },
          local,
        );
      });
      for (let i = 0; ; i++) {
        target = plan[i]!;
        try {
          await this.loop.answer({ ...run, target, counting: countingFor(target.provider, target.model, this.deps.calibration, counter.turn) });
          break;
        } catch (error) {
          const shape = toErrorShape(error);
          const next = plan[i + 1];
          // Fall back only while nothing reached the user and the failure is one another provider may not have.
          const canFallBack = next && !saver.hasContent && !signal.aborted && (RETRYABLE_CODES.has(shape.code) || shape.code === 'provider_not_configured');
          if (!canFallBack) throw error;
          route.push({ ...target, error: shape });
          outcome.meter.discardUnreported();
          runs.emit(runId, { type: 'fallback', from: target, to: next, error: shape });
        }
      }
      await saver.stop();
      requestBuilt(null);
      await estimated;
      this.calibrate(target, outcome);
      const final = await messages.finish(assistant.id, this.finished('complete', target, route, saver, outcome, null));
      await this.evaluate(final);
      // The question and its answer get their embeddings now, so the next question can recall them.
      this.deps.recall?.queue?.notify([...(assistant.parentId ? [assistant.parentId] : []), final.id]);
      this.historyCache.remember(final.id, [...path, { id: final.id, role: final.role, status: final.status, text: textOf(final) }]);
      runs.emit(runId, { type: 'done', message: final });
      if (assistant.depth === 1) this.titleInBackground(session, final);
      this.summarizeInBackground(session);
      return final;
    } catch (error) {
      await saver.stop();
      requestBuilt(null);
      await estimated;
      const shape = toErrorShape(error);
      const cancelled = signal.aborted || shape.code === 'cancelled';
      if (route.length > 0 && !cancelled) route.push({ ...target, error: shape });
      const final = await messages.finish(
        assistant.id,
        this.finished(cancelled ? 'interrupted' : 'error', target, route, saver, outcome, cancelled ? null : shape),
      );
      await this.evaluate(final);
      if (cancelled) runs.emit(runId, { type: 'done', message: final });
      else runs.emit(runId, { type: 'error', error: shape, message: final });
      return final;
    }
  }

  /** What the provider billed for each request of a finished answer corrects how its model's tokens are counted. */
  private calibrate(target: Target, outcome: Outcome): void {
    // OpenAI's models are counted with their own encoding: nothing to learn, so their requests are not counted again.
    if (isExactlyCounted(target.provider)) return;
    for (const { estimated, billed } of outcome.meter.billedInputs()) this.deps.calibration.observe(target.provider, target.model, estimated, billed);
  }

  /** Scores the answer's tool calls now that it has ended; a scoring failure never fails the answer, whose calls keep what they had. */
  private async evaluate(answer: Message): Promise<void> {
    await completeEvaluations(this.deps, answer).catch(() => undefined);
  }

  private finished(
    status: FinishedAnswer['status'],
    target: Target,
    route: RouteStep[],
    saver: ProgressSaver,
    outcome: Outcome,
    error: FinishedAnswer['error'],
  ): FinishedAnswer {
    const usage = outcome.meter.total();
    return {
      status,
      ...target,
      route: route.length > 0 && status === 'complete' ? [...route, { ...target, error: null }] : route,
      estimatedInputTokens: outcome.estimatedInputTokens,
      ...saver.snapshot(),
      usage,
      costUsd: usage ? costOf(target.provider, target.model, usage, this.deps.priceOverrides?.()) : null,
      providerResponseId: outcome.responseId,
      error,
    };
  }

  /**
   * The conversation up to (not including) the new answer, as provider turns, and the path it came from. The path
   * comes from the history cache when the question was asked under a recent answer (and carries no attachment,
   * whose text the store adds), else from the store.
   */
  private async history(session: Session, assistant: Message, question?: Message): Promise<{ turns: ChatTurn[]; ids: (string | null)[]; path: PathTurn[] }> {
    const turns: ChatTurn[] = [];
    const ids: (string | null)[] = [];
    if (session.settings.systemPrompt.trim()) {
      turns.push({ role: 'system', content: session.settings.systemPrompt });
      ids.push(null);
    }
    if (!assistant.parentId) return { turns, ids, path: [] };
    const cached =
      question?.id === assistant.parentId && !question.content.some((p) => p.type === 'attachment')
        ? this.historyCache.pathThrough(question.parentId, { id: question.id, role: question.role, status: question.status, text: textOf(question) })
        : undefined;
    // Older messages are read too while the first model's budget has room for them (context/history.ts).
    const { provider, model, maxOutputTokens } = session.settings;
    const { budget } = contextBudget(provider, model, maxOutputTokens);
    const path = await readHistory((id, limit) => this.deps.messages.historyTurns(id, limit), assistant.parentId, budget, cached);
    for (const message of path.filter(isSent)) {
      turns.push({ role: message.role, content: message.text });
      ids.push(message.id);
    }
    return { turns, ids, path };
  }

  /** Past the threshold, older turns are folded into the summary while the user reads the answer. */
  private summarizeInBackground(session: Session): void {
    const summaries = this.deps.summaries;
    if (!summaries) return;
    // A failed summary (no key for the summarizer, its model failing) leaves the chat as it was: requests drop older turns instead.
    const tracked = summaries
      .afterAnswer(session.id)
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
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

/** What recall is asked for an answer: the question just asked, never a message of the conversation itself. */
function recallAsk(session: Session, history: ChatTurn[], ids: (string | null)[], signal: AbortSignal): RecallAsk | null {
  const question = history.at(-1);
  if (question?.role !== 'user') return null;
  return { text: question.content, exclude: ids.filter((id): id is string => id !== null), sessionMessages: session.messageCount, signal };
}
