import { inArray, eq, asc } from 'drizzle-orm';
import { z } from 'zod';
import { AnswerRecall, ContextBreakdown, RequestOverhead, ToolCallEvaluation, type AgentStep, type ToolCall } from '../../../../shared/index.js';
import { ReasoningPart } from '../../providers/reasoning.js';
import { newId } from '../../util/ids.js';
import { agentSteps, toolCalls } from '../schema.js';
import type { Store } from '../store.js';

type StepRow = typeof agentSteps.$inferSelect;
type CallRow = typeof toolCalls.$inferSelect;

/**
 * A step's `data` JSON: its readable reasoning, and the provider's reasoning blocks kept for sending back (Anthropic
 * thinking with signatures, redacted thinking), which stay in core: the contract's AgentStep has only the text.
 */
const StepData = z.object({
  reasoning: z.string().nullable().default(null),
  replay: z.array(ReasoningPart).default([]),
  overhead: RequestOverhead.nullable().default(null),
  /** How the step's request filled the model's window (electron/core/context). */
  context: ContextBreakdown.nullable().default(null),
  /** The earlier messages recall offered the request (electron/core/recall). */
  recall: AnswerRecall.nullable().default(null),
});
type StepData = z.infer<typeof StepData>;

/** The agent's chain of thought: its steps and the tool calls made in them, rows of their own under a message. */
export class AgentRepository {
  constructor(private readonly store: Store) {}

  /** `spanId`: the span of the model call the step is (its `chat` span), when traced. */
  async addStep(
    step: Omit<AgentStep, 'id' | 'spanId' | 'recall'> & { replay: ReasoningPart[]; spanId?: string | null; recall?: AnswerRecall | null },
  ): Promise<AgentStep> {
    const data: StepData = { reasoning: step.reasoning, replay: step.replay, overhead: step.overhead, context: step.context, recall: step.recall ?? null };
    const row: StepRow = {
      id: newId(),
      messageId: step.messageId,
      ordinal: step.ordinal,
      kind: step.kind,
      content: step.content,
      data: data.reasoning === null && data.replay.length === 0 && data.overhead === null && data.context === null && data.recall === null ? null : data,
      spanId: step.spanId ?? null,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      createdAt: Date.now(),
      updatedAt: this.store.clock.now(),
      deletedAt: null,
    };
    await this.store.write((db) => db.insert(agentSteps).values(row));
    return toStep(row);
  }

  /** The reasoning blocks of a message's steps, by step in order, as the provider needs them back. */
  async replayOf(messageId: string): Promise<ReasoningPart[][]> {
    const rows = await this.store.db.select().from(agentSteps).where(eq(agentSteps.messageId, messageId)).orderBy(asc(agentSteps.ordinal)).all();
    return rows.map((row) => stepData(row.data).replay);
  }

  /** `id`: Coda's id for the call, given when the model asked for it (run events named it before this row existed). */
  async startCall(call: {
    id: string;
    messageId: string;
    stepId: string;
    ordinal: number;
    server: string | null;
    tool: string;
    providerCallId: string;
    input: unknown;
    /** The span the call runs in (its execute_tool span), when traced. */
    spanId?: string | null;
  }): Promise<ToolCall> {
    const row: CallRow = {
      id: call.id,
      messageId: call.messageId,
      stepId: call.stepId,
      ordinal: call.ordinal,
      server: call.server,
      tool: call.tool,
      providerCallId: call.providerCallId,
      input: call.input ?? null,
      output: null,
      status: 'running',
      error: null,
      evaluation: null,
      spanId: call.spanId ?? null,
      startedAt: Date.now(),
      finishedAt: null,
      createdAt: Date.now(),
      updatedAt: this.store.clock.now(),
      deletedAt: null,
    };
    await this.store.write((db) => db.insert(toolCalls).values(row));
    return toCall(row);
  }

  async markPending(id: string): Promise<void> {
    await this.store.write((db) => db.update(toolCalls).set({ status: 'pending', updatedAt: this.store.clock.now() }).where(eq(toolCalls.id, id)));
  }

  async finishCall(
    id: string,
    result: { status: ToolCall['status']; output: unknown; error: string | null; evaluation: ToolCallEvaluation },
  ): Promise<ToolCall> {
    const row = await this.store.write((db) =>
      db
        .update(toolCalls)
        .set({
          status: result.status,
          output: result.output ?? null,
          error: result.error,
          evaluation: result.evaluation,
          finishedAt: Date.now(),
          updatedAt: this.store.clock.now(),
        })
        .where(eq(toolCalls.id, id))
        .returning()
        .get(),
    );
    if (!row) throw new Error(`Tool call ${id} vanished`);
    return toCall(row);
  }

  /** Completes the evaluations of an answer's calls (their selection scores), once the answer has ended. */
  async setEvaluations(evaluations: { id: string; evaluation: ToolCallEvaluation }[]): Promise<void> {
    if (evaluations.length === 0) return;
    const updatedAt = this.store.clock.now();
    await this.store.write(async (db) => {
      const [first, ...rest] = evaluations.map(({ id, evaluation }) => db.update(toolCalls).set({ evaluation, updatedAt }).where(eq(toolCalls.id, id)));
      if (first) await db.batch([first, ...rest]);
    });
  }

  /** Tool calls and steps of several messages at once, in order (one query each, for a whole conversation). */
  async forMessages(messageIds: string[]): Promise<{ toolCalls: ToolCall[]; steps: AgentStep[] }> {
    if (messageIds.length === 0) return { toolCalls: [], steps: [] };
    const [calls, steps] = await Promise.all([
      this.store.db.select().from(toolCalls).where(inArray(toolCalls.messageId, messageIds)).orderBy(asc(toolCalls.messageId), asc(toolCalls.ordinal)).all(),
      this.store.db
        .select()
        .from(agentSteps)
        .where(inArray(agentSteps.messageId, messageIds))
        .orderBy(asc(agentSteps.messageId), asc(agentSteps.ordinal))
        .all(),
    ]);
    return { toolCalls: calls.map(toCall), steps: steps.map(toStep) };
  }
}

function toStep(row: StepRow): AgentStep {
  return {
    id: row.id,
    messageId: row.messageId,
    ordinal: row.ordinal,
    kind: row.kind,
    content: row.content,
    ...pick(stepData(row.data)),
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The step's `data` column is JSON this repository alone writes; what does not parse is read as no reasoning. */
function stepData(data: unknown): StepData {
  const parsed = StepData.safeParse(data ?? {});
  return parsed.success ? parsed.data : { reasoning: null, replay: [], overhead: null, context: null, recall: null };
}

/** The part of a step's data the contract shows (the replay blocks stay in core). */
const pick = ({ reasoning, overhead, context, recall }: StepData) => ({ reasoning, overhead, context, recall });

function toCall(row: CallRow): ToolCall {
  return {
    id: row.id,
    messageId: row.messageId,
    stepId: row.stepId,
    server: row.server,
    tool: row.tool,
    providerCallId: row.providerCallId,
    input: row.input,
    output: row.output,
    status: row.status,
    error: row.error,
    evaluation: evaluationOf(row.evaluation),
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The `evaluation` column is JSON only core writes; anything not of today's shape reads as not evaluated. */
function evaluationOf(data: unknown): ToolCallEvaluation | null {
  const parsed = ToolCallEvaluation.safeParse(data);
  return parsed.success ? parsed.data : null;
}
