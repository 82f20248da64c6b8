import { describe, expect, it } from 'vitest';
import type { MethodOutput, TimedSpan, TraceSpan } from '../../../shared/index.js';
import { collectRun, confirmServer, ok } from '../../../tests/helpers/core.js';
import { useToolServices } from '../../../tests/helpers/tool-services.js';
import { textReply } from '../../../tests/provider-server/script.js';
import type { Core } from '../core.js';
import { SpansRepository } from '../store/repositories/spans.js';

// An answer with tools, traced end to end: its spans in the database, nested under the run, with their ids on the
// message, its steps and its tool calls, and the trace carried to the tool servers over HTTP.

const API_TOKEN = 'inventory-token-1234';
const fx = useToolServices(API_TOKEN);

async function withServers(core: Core): Promise<void> {
  ok(
    await core.invoke('tools.addServers', {
      servers: [
        { label: 'remote', url: fx.mcp.url },
        { label: 'inventory', openapi: `${fx.service.url}/openapi.yaml`, auth: { type: 'bearer', token: API_TOKEN } },
      ],
    }),
  );
  ok(await confirmServer(core, 'remote', true));
  ok(await confirmServer(core, 'inventory', true));
}

/** Asks once; the model calls the MCP tool, an OpenAPI operation and one that fails, then answers. */
async function answerWithTools(core: Core) {
  fx.provider.enqueue(
    {
      kind: 'stream',
      steps: [
        { text: 'Checking.' },
        { toolCall: { id: 'p', name: 'remote__ping', arguments: '{}' } },
        { toolCall: { id: 'g', name: 'inventory__getItem', arguments: '{"id":7}' } },
        { toolCall: { id: 'b', name: 'inventory__broken', arguments: '{}' } },
      ],
      usage: { input: 40, output: 9 },
    },
    textReply('Item 7 is a widget.', { input: 60, output: 6 }),
  );
  const session = ok(await core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'item 7?', approval: 'auto' })) as MethodOutput<'chat.send'>;
  await collectRun(core, started.runId);
  await core.chat.settle();
  const messageId = started.assistantMessage.id;
  const message = ok(await core.invoke('messages.path', { sessionId: session.id })) as MethodOutput<'messages.path'>;
  const trace = ok(await core.invoke('messages.agentTrace', { messageIds: [messageId] })) as MethodOutput<'messages.agentTrace'>;
  const spans = ok(await core.invoke('messages.spans', { messageId })) as MethodOutput<'messages.spans'>;
  return { message: message.messages.find((m) => m.id === messageId)!, trace, spans };
}

const named = (spans: TimedSpan[], name: string) => spans.filter((s) => s.name === name);

describe('tracing', { timeout: 60_000 }, () => {
  it('keeps the spans of an answer with tools, nested under the run, with their ids on the message, steps and calls', async () => {
    const t = await fx.setup();
    await withServers(t.core);
    const { message, trace, spans } = await answerWithTools(t.core);

    expect(message.status).toBe('complete');
    expect(message.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans.traceId).toBe(message.traceId);
    const [root, ...others] = spans.spans;
    expect(root).toMatchObject({ name: 'invoke_agent coda', parentSpanId: null, status: 'unset' });
    expect(root!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': message.model,
      'gen_ai.response.model': message.model,
    });
    // Every other span sits inside the run, by its parent chain and in time.
    const byId = new Map(spans.spans.map((s) => [s.spanId, s]));
    for (const span of others) {
      let up: TraceSpan | undefined = span;
      while (up?.parentSpanId) up = byId.get(up.parentSpanId);
      expect(up?.spanId, span.name).toBe(root!.spanId);
      expect(span.start).toBeGreaterThanOrEqual(root!.start);
    }

    expect(named(spans.spans, 'build_context')).toHaveLength(1);
    const modelCalls = named(spans.spans, `chat ${message.model}`);
    expect(modelCalls).toHaveLength(2);
    expect(modelCalls.map((s) => s.parentSpanId)).toEqual([root!.spanId, root!.spanId]);
    expect(modelCalls[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': message.provider,
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(modelCalls[1]!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(modelCalls[0]!.events.map((e) => e.name)).toContain('gen_ai.first_token');
    // The steps are the model calls.
    expect(trace.steps.map((s) => s.spanId)).toEqual(modelCalls.map((s) => s.spanId));

    const toolSpans = spans.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool');
    expect(toolSpans.map((s) => s.name).sort()).toEqual(['execute_tool inventory__broken', 'execute_tool inventory__getItem', 'execute_tool remote__ping']);
    expect(toolSpans.every((s) => s.parentSpanId === root!.spanId)).toBe(true);
    expect(named(spans.spans, 'execute_tool inventory__broken')[0]).toMatchObject({ status: 'error' });
    expect(named(spans.spans, 'execute_tool remote__ping')[0]).toMatchObject({
      status: 'unset',
      attributes: { 'gen_ai.tool.name': 'remote__ping', 'gen_ai.tool.call.id': 'p' },
    });
    // Each call's row names its span.
    for (const call of trace.toolCalls) expect(byId.get(call.spanId!)?.attributes['gen_ai.tool.call.id']).toBe(call.providerCallId);

    // The run's database writes are spans too, under the span that made them.
    const writes = spans.spans.filter((s) => s.attributes['db.system.name'] === 'sqlite');
    expect(writes.map((s) => s.name)).toEqual(expect.arrayContaining(['INSERT agent_steps', 'INSERT tool_calls', 'UPDATE tool_calls', 'UPDATE messages']));
    const finish = writes.filter((s) => s.name === 'UPDATE messages').at(-1)!;
    expect(finish.parentSpanId).toBe(root!.spanId);

    // The trace went with the calls: the MCP server over HTTP and the OpenAPI service each got a traceparent
    // naming the answer's trace and the call's own span.
    const callSpan = (name: string) => named(spans.spans, `execute_tool ${name}`)[0]!.spanId;
    expect(fx.mcp.traceparents).toContain(`00-${message.traceId}-${callSpan('remote__ping')}-01`);
    const itemRequest = fx.service.requests.find((r) => r.url === '/api/items/7');
    expect(itemRequest?.traceparent).toBe(`00-${message.traceId}-${callSpan('inventory__getItem')}-01`);
  });

  it("shows the wait for the user's approval as its own span inside the tool call, apart from the run", async () => {
    const t = await fx.setup();
    await withServers(t.core);
    fx.provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'p', name: 'remote__ping', arguments: '{}' } }], usage: { input: 10, output: 2 } },
      textReply('Pong.', { input: 12, output: 1 }),
    );
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'ping?', approval: 'ask' })) as MethodOutput<'chat.send'>;
    await collectRun(t.core, started.runId, 0, (event) => {
      // The user takes a moment before allowing the call.
      if (event.type === 'approval-request')
        setTimeout(() => void t.core.invoke('chat.approve', { runId: started.runId, toolCallId: event.toolCallId, allow: true }), 150);
    });
    await t.core.chat.settle();
    const spans = ok(await t.core.invoke('messages.spans', { messageId: started.assistantMessage.id })) as MethodOutput<'messages.spans'>;
    const call = named(spans.spans, 'execute_tool remote__ping')[0]!;
    const wait = named(spans.spans, 'await_approval')[0]!;
    expect(wait.parentSpanId).toBe(call.spanId);
    expect(wait.duration).toBeGreaterThanOrEqual(140);
    const trace = ok(await t.core.invoke('messages.agentTrace', { messageIds: [started.assistantMessage.id] })) as MethodOutput<'messages.agentTrace'>;
    // The card's time is the run alone: the wait is not in it.
    expect(trace.toolCalls[0]!.evaluation!.durationMs!).toBeLessThan(wait.duration);
  });

  it('flags operations slower than their 90th percentile over the kept history', async () => {
    const t = await fx.setup();
    const repository = new SpansRepository(t.core.store);
    // Twenty earlier answers whose context took almost no time.
    const old: TraceSpan[] = Array.from({ length: 20 }, (_, i) =>
      span(`${'a'.repeat(31)}${(i % 10).toString()}`, i, 'build_context', Date.now() - 1000, 0.000_001 * (i + 1)),
    );
    await repository.insertBatch(old);
    expect((await repository.p90ByName(['build_context'])).get('build_context')).toBeCloseTo(0.000_018, 9);

    const { spans } = await answerWithTools(t.core);
    const context = named(spans.spans, 'build_context')[0]!;
    // The history now holds this answer's span too: 21 samples, whose 90th percentile (nearest rank) is the 19th.
    expect(context.p90).toBeCloseTo(0.000_019, 9);
    expect(context.slow).toBe(true);
    // Too few model calls in the history to say what is slow for them.
    expect(spans.spans.find((s) => s.name.startsWith('chat '))).toMatchObject({ p90: null, slow: false });
  });

  it('deletes timings older than the retention the user sets, and keeps the rest', async () => {
    const t = await fx.setup();
    expect(ok(await t.core.invoke('data.traceSettings', {}))).toEqual({ retentionDays: 30 });
    const repository = new SpansRepository(t.core.store);
    const day = 24 * 60 * 60 * 1000;
    await repository.insertBatch([
      span('b'.repeat(32), 1, 'chat old', Date.now() - 10 * day, 5),
      span('b'.repeat(32), 2, 'chat recent', Date.now() - 2 * day, 5),
    ]);
    const { spans } = await answerWithTools(t.core);
    expect(spans.spans.length).toBeGreaterThan(3);
    const before = await repository.count();

    const updated = ok(await t.core.invoke('data.updateTraceSettings', { retentionDays: 7 }));
    expect(updated).toEqual({ retentionDays: 7, pruned: 1 });
    expect(await repository.count()).toBe(before - 1);
    expect(ok(await t.core.invoke('data.traceSettings', {}))).toEqual({ retentionDays: 7 });
    // Kept across a restart, which prunes again as it opens.
    await repository.insertBatch([span('c'.repeat(32), 3, 'chat older', Date.now() - 8 * day, 5)]);
    await t.reopen();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.core.store.flush();
    expect(await new SpansRepository(t.core.store).count()).toBe(before - 1);
    expect(ok(await t.core.invoke('data.traceSettings', {}))).toEqual({ retentionDays: 7 });
    expect(await t.core.invoke('data.updateTraceSettings', { retentionDays: 0 })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

function span(traceId: string, n: number, name: string, start: number, duration: number): TraceSpan {
  return {
    traceId,
    spanId: n.toString(16).padStart(16, '0'),
    parentSpanId: null,
    name,
    kind: 'internal',
    start,
    duration,
    status: 'unset',
    statusMessage: null,
    attributes: {},
    events: [],
  };
}
