import { inArray, eq, asc } from 'drizzle-orm';
import type { AgentStep, ToolCall } from '../../../../shared/index.js';
import { newId } from '../../util/ids.js';
import { agentSteps, toolCalls } from '../schema.js';
import type { Store } from '../store.js';

type StepRow = typeof agentSteps.$inferSelect;
type CallRow = typeof toolCalls.$inferSelect;

/** The agent's chain of thought: its steps and the tool calls made in them, rows of their own under a message. */
export class AgentRepository {
  constructor(private readonly store: Store) {}

  /** `spanId`: the span of the model call the step is (its `chat` span), when traced. */
  async addStep(step: Omit<AgentStep, 'id' | 'spanId'> & { spanId?: string | null }): Promise<AgentStep> {
    const row: StepRow = {
      id: newId(),
      messageId: step.messageId,
      ordinal: step.ordinal,
      kind: step.kind,
      content: step.content,
      data: step.reasoning === null ? null : { reasoning: step.reasoning },
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
    result: { status: ToolCall['status']; output: unknown; error: string | null; evaluation: Record<string, unknown> },
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
    reasoning: reasoningOf(row.data),
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

/** The step's `data` column is JSON this repository alone writes; anything else in it is not reasoning. */
function reasoningOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || !('reasoning' in data)) return null;
  return typeof data.reasoning === 'string' ? data.reasoning : null;
}

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
    evaluation: (row.evaluation as Record<string, unknown> | null) ?? null,
    spanId: row.spanId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
