import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent, SessionSettings } from '../../../shared/index.js';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';

// The agent loop with the real bundled tool server (MCP over stdio) and the scripted provider asking for tools.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ tools: true });
});
afterAll(async () => {
  await t.dispose();
});
beforeEach(() => {
  t.provider.requests.length = 0;
});

const toolCall = (id: string, name: string, args: unknown) => ({ toolCall: { id, name, arguments: JSON.stringify(args) } });

async function ask(text: string, settings: Partial<SessionSettings> = {}) {
  const session = await t.client.call('sessions.create', { settings });
  const started = await t.client.call('chat.send', { sessionId: session.id, text });
  const events: RunEvent[] = [];
  const last = await t.client.followRun(started.runId, { onEvent: (event) => events.push(event) });
  const trace = await t.client.call('messages.agentTrace', { messageIds: [last.message.id] });
  return { events, message: last.message, last, trace };
}

describe('agent loop', () => {
  it('calls a built-in tool, gives the model its result, and saves every step and call', async () => {
    t.provider.enqueue(
      { kind: 'stream', steps: [{ text: 'Let me compute that.' }, toolCall('call_1', 'coda__evaluate_math', { expression: '1234 * 5678' })], usage: { input: 50, output: 10 } },
      textReply('1234 × 5678 = 7006652.', { input: 80, output: 12 }),
    );
    const { events, message, trace } = await ask('What is 1234 * 5678?');
    expect(events.find((e) => e.type === 'tool-call')).toMatchObject({ name: 'coda__evaluate_math' });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ isError: false, output: { value: 7006652 } });
    expect(message.status).toBe('complete');
    expect(message.content.find((p) => p.type === 'text')).toEqual({ type: 'text', text: 'Let me compute that.\n\n1234 × 5678 = 7006652.' });
    // Usage of both model turns is billed, so both are counted.
    expect(message.usage).toMatchObject({ inputTokens: 130, outputTokens: 22 });

    const [first, second] = t.provider.requests.filter((r) => r.body['stream'] === true);
    expect((first?.body['tools'] as { function: { name: string } }[]).map((tool) => tool.function.name)).toContain('coda__evaluate_math');
    expect(second?.body['messages']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'assistant', tool_calls: [expect.objectContaining({ id: 'call_1' })] }),
        { role: 'tool', tool_call_id: 'call_1', content: expect.stringContaining('7006652') },
      ]),
    );
    expect(trace.steps.map((s) => s.kind)).toEqual(['tool-selection', 'synthesis']);
    expect(trace.toolCalls).toEqual([
      expect.objectContaining({
        server: 'coda',
        tool: 'evaluate_math',
        input: { expression: '1234 * 5678' },
        status: 'success',
        stepId: trace.steps[0]!.id,
        evaluation: expect.objectContaining({ schemaValid: true, problems: [] }),
      }),
    ]);
    expect(trace.toolCalls[0]!.finishedAt).toBeGreaterThanOrEqual(trace.toolCalls[0]!.startedAt!);
  });

  it('runs several calls of one turn in parallel and returns invalid-argument errors to the model', async () => {
    t.provider.enqueue(
      {
        kind: 'stream',
        steps: [
          toolCall('a', 'coda__convert_units', { value: 10, from: 'km', to: 'mile' }),
          toolCall('b', 'coda__convert_units', { value: 'ten', from: 'kg' }),
          toolCall('c', 'coda__no_such_tool', {}),
        ],
      },
      textReply('10 km is about 6.2 miles.'),
    );
    const { message, trace } = await ask('Convert 10 km to miles');
    expect(message.status).toBe('complete');
    expect(trace.toolCalls.map((c) => c.status)).toEqual(['success', 'error', 'error']);
    expect(trace.toolCalls[1]!.evaluation).toMatchObject({ schemaValid: false });
    const followUp = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[];
    const toolTurns = followUp.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(toolTurns[1]).toContain('Invalid arguments for coda__convert_units');
    expect(toolTurns[2]).toContain('There is no tool named coda__no_such_tool');
  });

  it('answers a repeated identical call without running it again, and stops at the step limit', async () => {
    const again = toolCall('x', 'coda__evaluate_math', { expression: '2+2' });
    t.provider.enqueue(
      { kind: 'stream', steps: [again] },
      { kind: 'stream', steps: [{ toolCall: { id: 'y', name: 'coda__evaluate_math', arguments: '{ "expression": "2+2" }' } }] },
      { kind: 'stream', steps: [toolCall('z', 'coda__evaluate_math', { expression: '3+3' })] },
    );
    const { last, trace } = await ask('loop forever', { maxSteps: 3 });
    expect(last).toMatchObject({ type: 'error', error: { code: 'step_limit', message: expect.stringContaining('Stopped after 3 steps') } });
    expect(trace.toolCalls[1]).toMatchObject({ status: 'error', evaluation: { repeated: true } });
    expect(trace.steps).toHaveLength(3);
    expect(t.provider.pending).toBe(0);
  });

  it('offers no tools to a chat that has none enabled', async () => {
    t.provider.enqueue(textReply('Plain answer.'));
    const { message } = await ask('hello', { enabledTools: [] });
    expect(message.status).toBe('complete');
    expect(t.provider.requests.at(-1)?.body['tools']).toBeUndefined();
  });
});
