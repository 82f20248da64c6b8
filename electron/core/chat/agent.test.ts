import { execFileSync } from 'node:child_process';
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

async function ask(text: string, settings: Partial<SessionSettings> = {}, onEvent?: (event: RunEvent, runId: string) => void) {
  const session = await t.client.call('sessions.create', { settings });
  const started = await t.client.call('chat.send', { sessionId: session.id, text });
  const events: RunEvent[] = [];
  const last = await t.client.followRun(started.runId, {
    onEvent: (event) => {
      events.push(event);
      onEvent?.(event, started.runId);
    },
  });
  const trace = await t.client.call('messages.agentTrace', { messageIds: [last.message.id] });
  return { events, message: last.message, last, trace };
}

// Starting the tool server (and its math worker) from source takes seconds on a busy machine.
describe('agent loop', { timeout: 60_000 }, () => {
  it('calls a built-in tool, gives the model its result, and saves every step and call', async () => {
    t.provider.enqueue(
      {
        kind: 'stream',
        steps: [{ text: 'Let me compute that.' }, toolCall('call_1', 'coda__evaluate_math', { expression: '1234 * 5678' })],
        usage: { input: 50, output: 10 },
      },
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
        evaluation: expect.objectContaining({ arguments: 'valid', problems: [] }),
      }),
    ]);
    expect(trace.toolCalls[0]!.finishedAt).toBeGreaterThanOrEqual(trace.toolCalls[0]!.startedAt!);
    // Once the answer ended, the call was scored against it: the right tool, it worked, its result was used.
    expect(trace.toolCalls[0]!.evaluation?.selection).toEqual({
      score: 1,
      criteria: { relevance: 1, resultUsed: 1, succeeded: 1, notRepeated: 1 },
      answerStatus: 'complete',
    });
  });

  it('counts what each request spends on the system prompt and the tool definitions, which the user never reads', async () => {
    t.provider.enqueue(
      { kind: 'stream', steps: [toolCall('call_o', 'coda__evaluate_math', { expression: '2 + 2' })] },
      textReply('4.', { input: 80, output: 2 }),
    );
    const { trace } = await ask('2 + 2?', { systemPrompt: 'You are a careful calculator. Show no working.' });
    const offered = (t.provider.requests.find((r) => r.body['stream'] === true)?.body['tools'] as unknown[]).length;
    const [first, second] = trace.steps;
    expect(first!.overhead).toEqual({ systemPromptTokens: expect.any(Number), toolDefinitionTokens: expect.any(Number), tools: offered });
    expect(first!.overhead!.systemPromptTokens).toBeGreaterThanOrEqual(8);
    expect(first!.overhead!.systemPromptTokens).toBeLessThan(20);
    // Every tool's name, description and schema: far more than the system prompt.
    expect(first!.overhead!.toolDefinitionTokens).toBeGreaterThan(offered * 20);
    expect(second!.overhead).toEqual(first!.overhead);
    t.provider.enqueue(textReply('Hello.'));
    const none = await ask('hi', { enabledTools: [] });
    expect(none.trace.steps[0]!.overhead).toEqual({ systemPromptTokens: 0, toolDefinitionTokens: 0, tools: 0 });
  });

  it('scores calls whose result the answer ignored, or that failed, below a call whose result it used', async () => {
    t.provider.enqueue(
      {
        kind: 'stream',
        steps: [
          toolCall('used', 'coda__convert_units', { value: 10, from: 'km', to: 'mile' }),
          toolCall('ignored', 'coda__evaluate_math', { expression: '17 * 23' }),
          toolCall('broken', 'coda__evaluate_math', { expression: '1 +* 2' }),
        ],
      },
      textReply('10 km is about 6.2 miles.'),
    );
    const { trace } = await ask('Convert 10 km to miles');
    const [used, ignored, broken] = trace.toolCalls.map((c) => c.evaluation!);
    expect(used).toMatchObject({ arguments: 'valid', problems: [], selection: { criteria: { resultUsed: 1, succeeded: 1 } } });
    expect(ignored?.selection?.criteria.resultUsed).toBe(0);
    expect(broken).toMatchObject({ arguments: 'valid', problems: [{ kind: 'tool-error' }], selection: { criteria: { succeeded: 0, resultUsed: null } } });
    expect(used!.selection!.score).toBeGreaterThan(ignored!.selection!.score);
    expect(used!.selection!.score).toBeGreaterThan(broken!.selection!.score);
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
    expect(trace.toolCalls[1]!.evaluation).toMatchObject({ arguments: 'invalid' });
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
    expect(trace.toolCalls[1]).toMatchObject({ status: 'error', evaluation: { problems: [{ kind: 'repeated' }] } });
    // The answer failed (step limit), and its calls still got what can be known: the repeat is marked down.
    expect(trace.toolCalls[1]!.evaluation?.selection).toMatchObject({ answerStatus: 'error', criteria: { notRepeated: 0 } });
    expect(trace.toolCalls[0]!.evaluation?.selection).toMatchObject({ answerStatus: 'error', criteria: { notRepeated: 1, succeeded: 1 } });
    expect(trace.steps).toHaveLength(3);
    expect(t.provider.pending).toBe(0);
  });

  it('offers no tools to a chat that has none enabled', async () => {
    t.provider.enqueue(textReply('Plain answer.'));
    const { message } = await ask('hello', { enabledTools: [] });
    expect(message.status).toBe('complete');
    expect(t.provider.requests.at(-1)?.body['tools']).toBeUndefined();
  });

  it('answers a math expression too large to compute with a clear tool error, and the tool server keeps working', async () => {
    t.provider.enqueue(
      { kind: 'stream', steps: [toolCall('big', 'coda__evaluate_math', { expression: 'zeros(20000, 20000)' })] },
      { kind: 'stream', steps: [toolCall('small', 'coda__evaluate_math', { expression: 'det([2, 0; 0, 3])' })] },
      textReply('The determinant is 6.'),
    );
    const { events, message } = await ask('make a huge matrix');
    const results = events.filter((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result');
    expect(results[0]).toMatchObject({
      isError: true,
      output: expect.stringContaining('zeros would make 400,000,000 elements; the math tool makes at most 1,000,000'),
    });
    expect(results[1]).toMatchObject({ isError: false, output: { value: 6 } });
    expect(message.status).toBe('complete');
  });

  it.skipIf(process.platform === 'win32')('starts the built-in tool server again for the next call after its process died', async () => {
    await t.client.call('tools.setPolicy', { toolId: 'coda__evaluate_math', policy: 'ask' });
    try {
      t.provider.enqueue({ kind: 'stream', steps: [toolCall('after', 'coda__evaluate_math', { expression: '6 * 7' })] }, textReply('42.'));
      const { events } = await ask('six times seven', {}, (event, runId) => {
        if (event.type !== 'approval-request') return;
        // The process dies while the call waits for the user (killed, or out of memory); the user then allows it.
        void (async () => {
          process.kill(builtinServerPid(), 'SIGKILL');
          await expect
            .poll(async () => (await t.client.call('tools.servers', {})).servers.find((s) => s.id === 'coda')?.status, { timeout: 10_000 })
            .not.toBe('ready');
          await t.client.call('chat.approve', { runId, toolCallId: event.toolCallId, allow: true });
        })();
      });
      expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ isError: false, output: { value: 42 } });
    } finally {
      await t.client.call('tools.setPolicy', { toolId: 'coda__evaluate_math', policy: null });
    }
  });
});

/** The built-in tool server started for this test process (its own child, running builtin/main.ts). */
function builtinServerPid(): number {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const line = children.split('\n').find((l) => l.includes('builtin/main.ts'));
  if (!line) throw new Error(`No built-in tool server among this process's children:\n${children}`);
  return Number(line.trim().split(/\s+/)[0]);
}
