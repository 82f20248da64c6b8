import type { Message, SpanAttributes, Usage } from '../../../shared/index.js';
import type { Tracing } from './tracing.js';

/*
 * The spans of an answer, named and described with OpenTelemetry's GenAI semantic conventions: the run
 * ("invoke_agent coda"), each model call ("chat MODEL", with the first token as an event) and each tool call
 * ("execute_tool TOOL"); context building is Coda's own ("build_context").
 */

interface Target {
  provider: string;
  model: string;
}

/** `gen_ai.system` is the older name of `gen_ai.provider.name`; both are set, so tools of either age read them. */
function providerAttributes(target: Target): SpanAttributes {
  return { 'gen_ai.provider.name': target.provider, 'gen_ai.system': target.provider, 'gen_ai.request.model': target.model };
}

export function usageAttributes(usage: Usage): SpanAttributes {
  return {
    'gen_ai.usage.input_tokens': usage.inputTokens,
    'gen_ai.usage.output_tokens': usage.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': usage.cachedInputTokens,
    'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteTokens,
    'coda.usage.reasoning_tokens': usage.reasoningTokens,
  };
}

/** The whole answer, every fallback attempt included; ends failed when the answer did. */
export function traceRun(tracing: Tracing, target: Target, ids: { sessionId: string; messageId: string }, fn: () => Promise<Message>): Promise<Message> {
  const attributes = {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': 'coda',
    'gen_ai.conversation.id': ids.sessionId,
    'coda.message.id': ids.messageId,
    ...providerAttributes(target),
  };
  return tracing.span('invoke_agent coda', attributes, async (span) => {
    const message = await fn();
    // The model that answered, after any fallback.
    span.setAttributes({
      'coda.message.status': message.status,
      ...(message.model ? { 'gen_ai.response.model': message.model } : {}),
      ...(message.usage ? usageAttributes(message.usage) : {}),
    });
    if (message.status === 'error') span.fail(message.error?.message ?? 'The answer failed.', message.error?.code);
    return message;
  });
}

/** The tools offered to the model, listed from their servers (a server not started yet starts here). */
export function traceToolList<T extends { definitions: unknown[] }>(tracing: Tracing, fn: () => Promise<T>): Promise<T> {
  return tracing.span('list_tools', { 'coda.operation': 'list_tools' }, fn, { after: (result) => ({ 'coda.tools.count': result.definitions.length }) });
}

/** The conversation before the answer, read and turned into the provider's turns. */
export function traceContext<T extends { turns: unknown[] }>(tracing: Tracing, fn: () => Promise<T>): Promise<T> {
  return tracing.span('build_context', { 'coda.operation': 'build_context' }, fn, { after: (result) => ({ 'coda.context.turns': result.turns.length }) });
}

/**
 * One model turn. The provider's stream gives no finish reason or served model, so the finish reason is what the
 * turn did: "tool_calls" when it asked for tools, else "stop". Returns the span's id for the step's row.
 */
export async function traceModelCall<T extends { calls: unknown[] }>(
  tracing: Tracing,
  target: Target,
  fn: () => Promise<T>,
): Promise<T & { spanId: string | null }> {
  return tracing.span(
    `chat ${target.model}`,
    { 'gen_ai.operation.name': 'chat', ...providerAttributes(target) },
    async (span) => {
      const result = await fn();
      span.setAttributes({ 'gen_ai.response.finish_reasons': [result.calls.length > 0 ? 'tool_calls' : 'stop'] });
      return { ...result, spanId: span.spanId || null };
    },
    { kind: 'client' },
  );
}

/**
 * Passes a provider's stream through, noting on the model call's span (the one active when it starts) the first
 * token (time to first token), retries, and the usage the provider reported.
 */
export async function* observeModelStream<E extends { type: string }>(tracing: Tracing, events: AsyncIterable<E>): AsyncIterable<E> {
  const span = tracing.active();
  if (!span) return yield* events;
  let first = true;
  for await (const event of events) {
    if (first && (event.type === 'text' || event.type === 'reasoning' || event.type === 'tool-call')) {
      first = false;
      span.addEvent('gen_ai.first_token');
    } else if (event.type === 'connected') span.addEvent('connected');
    else if (event.type === 'retry' && 'attempt' in event && typeof event.attempt === 'number') span.addEvent('retry', { attempt: event.attempt });
    else if (event.type === 'usage' && 'usage' in event) span.setAttributes(usageAttributes(event.usage as Usage));
    yield event;
  }
}

/**
 * The time a call waits for the user's approval: its own span, so the trace shows that wait apart from the tool's
 * run (the tool card's time counts the run only).
 */
export function traceApprovalWait<T>(tracing: Tracing, fn: () => Promise<T>): Promise<T> {
  return tracing.childSpan('await_approval', { 'coda.operation': 'await_approval' }, fn);
}

/** One tool call, from the rules and approval to its result; failed when the model is told it failed. */
export function traceToolCall<T extends { isError: boolean }>(
  tracing: Tracing,
  call: { name: string; providerCallId: string; server: string | null },
  fn: () => Promise<T>,
): Promise<T> {
  const attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': call.name,
    'gen_ai.tool.call.id': call.providerCallId,
    ...(call.server ? { 'coda.tool.server': call.server } : {}),
  };
  return tracing.span(`execute_tool ${call.name}`, attributes, async (span) => {
    const result = await fn();
    if (result.isError) span.fail('The tool call failed or did not run.', 'tool_error');
    return result;
  });
}
