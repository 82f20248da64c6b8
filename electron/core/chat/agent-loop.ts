import { CodaError, type ContextBreakdown, type RequestOverhead } from '../../../shared/index.js';
import { buildContext, type BuiltContext, type ContextItem } from '../context/builder.js';
import { contextBudget } from '../context/budget.js';
import type { ChatRequest, ChatTurn, ReasoningPart, ToolDefinition } from '../providers/types.js';
import { observeModelStream, traceModelCall, traceToolList } from '../tracing/genai.js';
import { newId } from '../util/ids.js';
import type { AgentLoopDeps, AgentRun, RequestedCall } from './agent-run.js';
import { uniqueProviderCallId } from './call-ids.js';
import { ToolCallRunner } from './tool-call-runner.js';
import { sentRecall } from '../recall/sent-recall.js';

/** What one model turn gave. */
interface StepResult {
  text: string;
  reasoning: string;
  /** The provider's reasoning blocks as it needs them back on the next request (Anthropic thinking and signatures). */
  replay: ReasoningPart[];
  calls: RequestedCall[];
}

/** The agent's steps for one answer with one provider: model turns, tool calls, approvals. */
export class AgentLoop {
  private readonly toolCalls: ToolCallRunner;

  constructor(private readonly deps: AgentLoopDeps) {
    this.toolCalls = new ToolCallRunner(deps);
  }

  /**
   * The agent loop with one provider: ask the model; if it asks for tools, run them (in parallel), give it the
   * results and ask again, until it answers without tools or the step limit is reached. Every step and tool call
   * is saved as its own row and streamed as events.
   */
  async answer(run: AgentRun): Promise<void> {
    const { session, saver } = run;
    const enabled = session.settings.enabledTools;
    const { definitions, unavailable } =
      enabled.length > 0
        ? await traceToolList(this.deps.tracing, () => this.deps.tools.definitions(enabled, { answer: true }))
        : { definitions: [], unavailable: [] };
    if (unavailable.length > 0) this.deps.runs.emit(run.runId, { type: 'tools-unavailable', servers: unavailable });
    const system = run.history.filter((t) => t.role === 'system');
    // This answer's own steps join the conversation as turns with no message id (they are never dropped: newest turn).
    const items: ContextItem[] = run.history.flatMap((turn, i) => (turn.role === 'system' ? [] : [{ id: run.historyIds[i] ?? null, turn }]));
    const budget = contextBudget(run.target.provider, run.target.model, session.settings.maxOutputTokens);
    const answer = this.toolCalls.begin();
    for (let step = 0; ; step++) {
      const startedAt = Date.now();
      const recalled = run.recalled?.items ?? [];
      const context = buildContext({ system, tools: definitions, pinned: run.pinned, summary: run.summary, recalled, history: items }, budget, run.counting);
      if (step === 0) run.requestBuilt?.(context.turns);
      if (step === 0 && context.pinsOverBudget) this.deps.runs.emit(run.runId, { type: 'context-warning', ...context.pinsOverBudget });
      const result: StepResult = { text: '', reasoning: '', replay: [], calls: [] };
      let spanId: string | null;
      try {
        ({ spanId } = await traceModelCall(this.deps.tracing, run.target, () => this.modelTurn(run, context.turns, definitions, result)));
      } catch (error) {
        // A turn stopped or cut off midway is kept as a step with what it wrote and thought (its calls never ran).
        if (result.text || result.reasoning)
          await this.saveStep(run, step, { ...result, calls: [] }, { startedAt, spanId: null, context, tools: definitions.length }).catch(() => undefined);
        throw error;
      }
      const { text, replay, calls } = result;
      const stepRow = await this.saveStep(run, step, result, { startedAt, spanId, context, tools: definitions.length });
      if (calls.length === 0) return;
      if (step + 1 >= session.settings.maxSteps) {
        throw new CodaError(
          'step_limit',
          `Stopped after ${session.settings.maxSteps} steps: the model kept calling tools. Raise the step limit in Chat settings or ask more narrowly.`,
        );
      }
      // Paragraphs of different steps stay apart in the visible answer.
      if (text && !text.endsWith('\n')) saver.appendText('\n\n');
      // The model is answered under the ids its provider knows; everything of Coda's uses Coda's own.
      items.push({
        id: null,
        turn: {
          role: 'assistant',
          content: text,
          toolCalls: calls.map((c) => ({ id: c.providerCallId, name: c.name, arguments: c.arguments, ...(c.signature ? { signature: c.signature } : {}) })),
          ...(replay.length > 0 ? { reasoning: replay } : {}),
        },
      });
      const results = await Promise.all(this.toolCalls.runAll(run, answer, stepRow.id, calls));
      calls.forEach((call, i) =>
        items.push({
          id: null,
          turn: { role: 'tool', toolCallId: call.providerCallId, name: call.name, content: results[i]!.text, isError: results[i]!.isError },
        }),
      );
    }
  }

  /**
   * Saves one model turn as a step of the answer, with how its request filled the window. Counted after the turn
   * (a short chat is chosen without the tokenizer), so counting never delays an answer.
   */
  private saveStep(
    run: AgentRun,
    ordinal: number,
    result: StepResult,
    meta: { startedAt: number; spanId: string | null; context: BuiltContext; tools: number },
  ) {
    const context: ContextBreakdown = meta.context.breakdown();
    // The hidden part of the request, as the steps panel shows it: the same counts as the breakdown's.
    const overhead: RequestOverhead = { systemPromptTokens: context.system, toolDefinitionTokens: context.tools, tools: meta.tools };
    return this.deps.agent.addStep({
      messageId: run.assistant.id,
      ordinal,
      kind: result.calls.length > 0 ? 'tool-selection' : 'synthesis',
      content: result.text,
      reasoning: result.reasoning || null,
      replay: result.replay,
      overhead,
      context,
      spanId: meta.spanId,
      // What recall offered, kept with the first step (the answer lists the messages that made it into the request).
      recall: ordinal === 0 && run.recalled ? sentRecall(run.recalled.recall, context) : null,
      startedAt: meta.startedAt,
      finishedAt: Date.now(),
    });
  }

  /** Streams one model turn to the user and the store into `result` (which holds what arrived if the turn fails). */
  private async modelTurn(run: AgentRun, turns: ChatTurn[], definitions: ToolDefinition[], result: StepResult): Promise<StepResult> {
    const { runId, saver, outcome, signal } = run;
    const { runs } = this.deps;
    const provider = this.deps.providers.get(run.target.provider);
    const providerIds = new Set<string>();
    const { temperature, topP, maxOutputTokens, thinking } = run.session.settings;
    const request: ChatRequest = {
      model: run.target.model,
      messages: turns,
      temperature,
      signal,
      ...(topP === null ? {} : { topP }),
      ...(maxOutputTokens === null ? {} : { maxOutputTokens }),
      ...(thinking === null ? {} : { thinking }),
      ...(definitions.length ? { tools: definitions } : {}),
    };
    outcome.meter.beginStep(turns, definitions);
    for await (const event of observeModelStream(this.deps.tracing, provider.stream(request))) {
      switch (event.type) {
        case 'text':
          result.text += event.text;
          outcome.meter.received('output', event.text);
          saver.appendText(event.text);
          runs.emit(runId, { type: 'text-delta', text: event.text });
          break;
        case 'reasoning':
          result.reasoning += event.text;
          outcome.meter.received('reasoning', event.text);
          saver.appendReasoning(event.text);
          runs.emit(runId, { type: 'reasoning-delta', text: event.text });
          break;
        case 'reasoning-part':
          result.replay.push(event.part);
          saver.noteActivity();
          break;
        case 'tool-call': {
          const providerCallId = uniqueProviderCallId(event.id, providerIds);
          providerIds.add(providerCallId);
          const call: RequestedCall = {
            id: newId(),
            providerCallId,
            renamedFrom: providerCallId === event.id ? null : event.id,
            name: event.name,
            arguments: event.arguments,
            // Gemini's thought signature must go back with its call on the next step.
            ...(event.signature ? { signature: event.signature } : {}),
          };
          result.calls.push(call);
          outcome.meter.received('output', event.name + event.arguments);
          saver.noteActivity();
          runs.emit(runId, { type: 'tool-call', toolCallId: call.id, providerCallId, name: call.name, arguments: call.arguments });
          break;
        }
        case 'usage':
          runs.emit(runId, { type: 'usage', usage: outcome.meter.billed(event.usage) });
          break;
        case 'response-id':
          outcome.responseId = event.id;
          break;
        case 'retry':
          runs.emit(runId, { type: 'retry', attempt: event.attempt, delayMs: event.delayMs, error: event.error });
          break;
        case 'connected':
          outcome.meter.accepted();
          break;
      }
    }
    return result;
  }
}
