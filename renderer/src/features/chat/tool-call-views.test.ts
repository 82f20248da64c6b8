import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../shared/index.js';
import { applyToolCallEvent, toolCallViewsByMessage, type ToolCallView } from './tool-call-views.js';

const base = { runId: 'run', seq: 1 };
// Coda's own call ids (UUIDv7), as the run events carry them.
const c1 = '01a237c8-50e4-743a-99ad-3744515742ab';
const c2 = '01a237c8-50e4-743a-99ad-38f641c2f544';
const schema = { type: 'object' as const, properties: { city: { type: 'string' as const } } };

describe('tool calls in the conversation, from run events', () => {
  it('follows a call through approval, a question from its server, and its result', () => {
    const events: RunEvent[] = [
      { ...base, type: 'tool-call', toolCallId: c1, providerCallId: 'call_1', name: 'weather__forecast', arguments: '{"days":2}' },
      {
        ...base,
        type: 'approval-request',
        toolCallId: c1,
        server: 'weather',
        serverLabel: 'Weather',
        tool: 'forecast',
        arguments: { days: 2 },
        readOnly: true,
      },
    ];
    let calls = events.reduce<ToolCallView[]>((acc, e) => applyToolCallEvent(acc, e as Parameters<typeof applyToolCallEvent>[1]), []);
    expect(calls).toEqual([
      expect.objectContaining({
        key: c1,
        input: { days: 2 },
        status: 'pending',
        approval: { runId: 'run', server: 'weather', serverLabel: 'Weather', readOnly: true },
      }),
    ]);

    calls = applyToolCallEvent(calls, {
      ...base,
      type: 'elicitation-request',
      elicitationId: 'q1',
      toolCallId: c1,
      server: 'weather',
      serverLabel: 'Weather',
      message: 'Where?',
      requestedSchema: schema,
    });
    expect(calls[0]).toMatchObject({ status: 'running', approval: undefined, elicitations: [{ id: 'q1', runId: 'run', answer: null }] });

    calls = applyToolCallEvent(calls, {
      ...base,
      type: 'elicitation-answered',
      elicitationId: 'q1',
      toolCallId: c1,
      action: 'accept',
      content: { city: 'Oslo' },
      endedBy: 'user',
    });
    expect(calls[0]?.elicitations?.[0]?.answer).toEqual({ action: 'accept', content: { city: 'Oslo' }, endedBy: 'user' });

    calls = applyToolCallEvent(calls, { ...base, type: 'tool-result', toolCallId: c1, output: 'sunny', isError: false });
    expect(calls[0]).toMatchObject({ status: 'success', output: 'sunny' });
  });

  it('keeps arguments that are not JSON as text, and leaves a denied call as it is', () => {
    let calls = applyToolCallEvent([], { ...base, type: 'tool-call', toolCallId: c2, providerCallId: 'call_2', name: 'x__y', arguments: '{not json' });
    expect(calls[0]?.input).toBe('{not json');
    calls = calls.map((c) => ({ ...c, status: 'denied' as const }));
    calls = applyToolCallEvent(calls, { ...base, type: 'tool-result', toolCallId: c2, output: 'late', isError: true });
    expect(calls[0]).toMatchObject({ status: 'denied', output: null });
  });

  it("keeps two calls apart by Coda's id when the provider gave both the same id", () => {
    let calls: ToolCallView[] = [];
    for (const [id, file] of [
      [c1, 'a.txt'],
      [c2, 'b.txt'],
    ] as const) {
      calls = applyToolCallEvent(calls, {
        ...base,
        type: 'tool-call',
        toolCallId: id,
        providerCallId: 'dup',
        name: 'files__write_file',
        arguments: JSON.stringify({ path: file }),
      });
      calls = applyToolCallEvent(calls, {
        ...base,
        type: 'approval-request',
        toolCallId: id,
        server: 'files',
        serverLabel: 'Files',
        tool: 'write_file',
        arguments: { path: file },
        readOnly: false,
      });
    }
    calls = applyToolCallEvent(calls, { ...base, type: 'tool-result', toolCallId: c1, output: 'written', isError: false });
    expect(calls.map((c) => [c.key, c.status, c.input])).toEqual([
      [c1, 'success', { path: 'a.txt' }],
      [c2, 'pending', { path: 'b.txt' }],
    ]);
  });
});

describe('tool calls read back from the store', () => {
  it('names a call by server and tool, and an unknown tool by the name the model wrote', () => {
    const saved = {
      messageId: 'm',
      stepId: null,
      providerCallId: 'x',
      input: {},
      output: null,
      status: 'error' as const,
      error: 'no such tool',
      evaluation: null,
      spanId: null,
      startedAt: 1,
      finishedAt: 3,
    };
    const views = toolCallViewsByMessage([
      { ...saved, id: c1, server: 'coda', tool: 'evaluate_math' },
      { ...saved, id: c2, server: null, tool: 'made_up__tool' },
    ]);
    expect(views['m']?.map((v) => [v.key, v.name, v.durationMs])).toEqual([
      [c1, 'coda__evaluate_math', 2],
      [c2, 'made_up__tool', 2],
    ]);
  });
});
