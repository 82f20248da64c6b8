import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../shared/index.js';
import { applyToolCallEvent, type ToolCallView } from './tool-call-views.js';

const base = { runId: 'run', seq: 1 };
const schema = { type: 'object' as const, properties: { city: { type: 'string' as const } } };

describe('tool calls in the conversation, from run events', () => {
  it('follows a call through approval, a question from its server, and its result', () => {
    const events: RunEvent[] = [
      { ...base, type: 'tool-call', toolCallId: 'c1', name: 'weather__forecast', arguments: '{"days":2}' },
      { ...base, type: 'approval-request', toolCallId: 'c1', server: 'weather', tool: 'forecast', arguments: { days: 2 }, readOnly: true },
    ];
    let calls = events.reduce<ToolCallView[]>((acc, e) => applyToolCallEvent(acc, e as Parameters<typeof applyToolCallEvent>[1]), []);
    expect(calls).toEqual([expect.objectContaining({ key: 'c1', input: { days: 2 }, status: 'pending', approval: { runId: 'run', server: 'weather', readOnly: true } })]);

    calls = applyToolCallEvent(calls, { ...base, type: 'elicitation-request', elicitationId: 'q1', toolCallId: 'c1', server: 'weather', serverLabel: 'Weather', message: 'Where?', requestedSchema: schema });
    expect(calls[0]).toMatchObject({ status: 'running', approval: undefined, elicitations: [{ id: 'q1', runId: 'run', answer: null }] });

    calls = applyToolCallEvent(calls, { ...base, type: 'elicitation-answered', elicitationId: 'q1', toolCallId: 'c1', action: 'accept', content: { city: 'Oslo' }, endedBy: 'user' });
    expect(calls[0]?.elicitations?.[0]?.answer).toEqual({ action: 'accept', content: { city: 'Oslo' }, endedBy: 'user' });

    calls = applyToolCallEvent(calls, { ...base, type: 'tool-result', toolCallId: 'c1', output: 'sunny', isError: false });
    expect(calls[0]).toMatchObject({ status: 'success', output: 'sunny' });
  });

  it('keeps arguments that are not JSON as text, and leaves a denied call as it is', () => {
    let calls = applyToolCallEvent([], { ...base, type: 'tool-call', toolCallId: 'c2', name: 'x__y', arguments: '{not json' });
    expect(calls[0]?.input).toBe('{not json');
    calls = calls.map((c) => ({ ...c, status: 'denied' as const }));
    calls = applyToolCallEvent(calls, { ...base, type: 'tool-result', toolCallId: 'c2', output: 'late', isError: true });
    expect(calls[0]).toMatchObject({ status: 'denied', output: null });
  });
});
