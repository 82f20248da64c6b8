import type { AgentStep, ToolCall } from '../../../shared/index.js';
import { AgentRepository } from '../store/repositories/agent.js';
import { MessagesRepository, type FinishedAnswer } from '../store/repositories/messages.js';
import type { Store } from '../store/store.js';
import type { Tracing } from './tracing.js';

/* The database writes of an answer, each a span of its own under the span that made it (OpenTelemetry's database
   conventions: "INSERT agent_steps"). Writes outside an answer (a rename, a deletion) are not traced. */

const dbAttributes = (operation: string, table: string) => ({ 'db.system.name': 'sqlite', 'db.operation.name': operation, 'db.collection.name': table });

export class TracedAgentRepository extends AgentRepository {
  constructor(
    store: Store,
    private readonly tracing: Tracing,
  ) {
    super(store);
  }

  override addStep(step: Parameters<AgentRepository['addStep']>[0]): Promise<AgentStep> {
    return this.tracing.childSpan('INSERT agent_steps', dbAttributes('INSERT', 'agent_steps'), () => super.addStep(step));
  }

  /** The call's row gets the id of the span it runs in (its execute_tool span). */
  override startCall(call: Parameters<AgentRepository['startCall']>[0]): Promise<ToolCall> {
    const spanId = call.spanId ?? this.tracing.active()?.spanId ?? null;
    return this.tracing.childSpan('INSERT tool_calls', dbAttributes('INSERT', 'tool_calls'), () => super.startCall({ ...call, spanId }));
  }

  override markPending(id: string): Promise<void> {
    return this.tracing.childSpan('UPDATE tool_calls', dbAttributes('UPDATE', 'tool_calls'), () => super.markPending(id));
  }

  override finishCall(id: string, result: Parameters<AgentRepository['finishCall']>[1]): Promise<ToolCall> {
    return this.tracing.childSpan('UPDATE tool_calls', dbAttributes('UPDATE', 'tool_calls'), () => super.finishCall(id, result));
  }
}

export class TracedMessagesRepository extends MessagesRepository {
  constructor(
    store: Store,
    private readonly tracing: Tracing,
  ) {
    super(store);
  }

  override saveProgress(id: string, text: string, reasoning: string, firstTokenAt: number | null): Promise<void> {
    return this.tracing.childSpan('UPDATE messages', dbAttributes('UPDATE', 'messages'), () => super.saveProgress(id, text, reasoning, firstTokenAt));
  }

  /** The answer keeps the id of the trace it was made in, which finds its spans. */
  override finish(id: string, answer: FinishedAnswer) {
    const traceId = answer.traceId ?? this.tracing.active()?.traceId ?? null;
    return this.tracing.childSpan('UPDATE messages', dbAttributes('UPDATE', 'messages'), () => super.finish(id, { ...answer, traceId }));
  }
}
