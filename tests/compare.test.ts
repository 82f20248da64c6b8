import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../shared/index.js';
import { collectRun, startTestCore, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

async function ask(sessionId: string, text: string, reply: string) {
  t.provider.enqueue(textReply(reply));
  const started = await t.client.call('chat.send', { sessionId, text });
  return { user: started.userMessage, answer: (await t.client.followRun(started.runId)).message };
}

describe('re-running with several models, and comparing branches', () => {
  it('re-runs an answer with two models at once: two new siblings, each with its model and usage, compared with their sums', async () => {
    const session = await t.client.call('sessions.create', {});
    const { user, answer: first } = await ask(session.id, 'Name a colour', 'Blue.');
    // One script per provider, so which request gets which answer does not depend on their order.
    t.provider.forProvider('openai').enqueue({ ...textReply('Green is calm.', { input: 30, output: 11 }), stepDelayMs: 20 });
    t.provider.forProvider('anthropic').enqueue({ ...textReply('Red is bold.', { input: 40, output: 9 }), stepDelayMs: 20 });
    const { runs } = await t.client.call('chat.retryMany', {
      messageId: first.id,
      models: [
        { provider: 'openai', model: 'gpt-4.1' },
        { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      ],
    });
    expect(runs.map((r) => r.model)).toEqual(['gpt-4.1', 'claude-sonnet-4-6']);
    // Both stream at once.
    expect((await t.client.call('chat.activeRuns', { sessionId: session.id })).runs).toHaveLength(2);
    const [green, red] = await Promise.all(runs.map(async (r) => (await t.client.followRun(r.runId)).message));
    expect(green).toMatchObject({ parentId: user.id, provider: 'openai', model: 'gpt-4.1', status: 'complete', usage: { inputTokens: 30, outputTokens: 11 } });
    expect(red).toMatchObject({
      parentId: user.id,
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      status: 'complete',
      usage: { inputTokens: 40, outputTokens: 9 },
    });
    const path = await t.client.call('messages.path', { sessionId: session.id });
    expect(path.siblings[path.messages.at(-1)!.id]).toEqual([first.id, green!.id, red!.id]);
    // The chat keeps its own model.
    expect((await t.client.call('sessions.get', { id: session.id })).settings.model).toBe('gpt-4.1-mini');

    const compared = await t.client.call('sessions.compare', { sessionId: session.id, leftId: green!.id, rightId: red!.id });
    expect(compared.ancestor?.id).toBe(user.id);
    expect(compared.rows).toHaveLength(1);
    expect(compared.rows[0]!.left?.answers.map((a) => a.text)).toEqual(['Green is calm.']);
    expect(compared.rows[0]!.right?.answers.map((a) => a.text)).toEqual(['Red is bold.']);
    expect(compared.left.totals).toMatchObject({ answers: 1, inputTokens: 30, outputTokens: 11, models: ['gpt-4.1'] });
    expect(compared.right.totals).toMatchObject({ answers: 1, inputTokens: 40, outputTokens: 9, models: ['claude-sonnet-4-6'] });
    expect(compared.left.totals.costUsd).toBeCloseTo(green!.costUsd!, 10);
    expect(compared.right.totals.costUsd).toBeCloseTo(red!.costUsd!, 10);
    expect(compared.right.totals.costUsd).toBeGreaterThan(0);
    expect(compared.left.totals.latencyMs).toBe(green!.timing.finishedAt! - green!.timing.startedAt!);
  });

  it('compares branches that part deep in a chat: each side down to its latest leaf, totals over what follows the split', async () => {
    const session = await t.client.call('sessions.create', {});
    await ask(session.id, 'Hello', 'Hi!');
    const { answer: four } = await ask(session.id, 'What is 2+2?', '4.');
    const { answer: six } = await ask(session.id, 'And 3+3?', '6.');
    t.provider.enqueue(textReply('Four.', { input: 50, output: 3 }));
    const again = await t.client.call('chat.retry', { messageId: four.id });
    const four2 = (await t.client.followRun(again.runId)).message;

    // The left side is asked for by its first answer, and runs on to its leaf ("6.").
    const compared = await t.client.call('sessions.compare', { sessionId: session.id, leftId: four.id, rightId: four2.id });
    expect(compared.left.leafId).toBe(six.id);
    expect(compared.rows.map((r) => [r.left?.question?.text ?? null, r.left?.answers[0]?.text, r.right?.answers[0]?.text ?? null])).toEqual([
      [null, '4.', 'Four.'],
      ['And 3+3?', '6.', null],
    ]);
    expect(compared.left.totals.answers).toBe(2);
    expect(compared.left.totals.inputTokens).toBe(four.usage!.inputTokens + six.usage!.inputTokens);
    expect(compared.left.totals.costUsd).toBeCloseTo(four.costUsd! + six.costUsd!, 10);
    expect(compared.right.totals).toMatchObject({ answers: 1, inputTokens: 50, outputTokens: 3 });

    // "Use this branch" is switching to the side's message: the chat then shows exactly that side.
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: compared.left.messageId });
    expect((await t.client.call('sessions.get', { id: session.id })).activeLeafId).toBe(compared.left.leafId);
  });

  it('refuses what cannot be compared or re-run, with a clear reason', async () => {
    const session = await t.client.call('sessions.create', {});
    const { user, answer } = await ask(session.id, 'Hi', 'Hello.');
    await expect(t.client.call('sessions.compare', { sessionId: session.id, leftId: user.id, rightId: answer.id })).rejects.toThrow(/same branch/);
    const other = await t.client.call('sessions.create', {});
    await expect(t.client.call('sessions.compare', { sessionId: other.id, leftId: user.id, rightId: answer.id })).rejects.toThrow(/another chat/);
    await expect(t.client.call('chat.retryMany', { messageId: answer.id, models: [{ provider: 'openai', model: 'gpt-4.1' }] })).rejects.toThrow(/at least 2/);
    await expect(
      t.client.call('chat.retryMany', {
        messageId: answer.id,
        models: [
          { provider: 'openai', model: 'gpt-4.1' },
          { provider: 'openai', model: 'gpt-4.1' },
        ],
      }),
    ).rejects.toThrow(/once/);
    await expect(
      t.client.call('chat.retryMany', {
        messageId: user.id,
        models: [
          { provider: 'openai', model: 'gpt-4.1' },
          { provider: 'anthropic', model: 'claude-sonnet-4-6' },
        ],
      }),
    ).rejects.toThrow(/Only an answer/);
  });

  it('holds each re-run to a blocking spending limit, as a single retry is', async () => {
    const session = await t.client.call('sessions.create', {});
    const { answer } = await ask(session.id, 'Hi', 'Hello.');
    await t.client.call('budgets.update', { chatUsd: 0.000001, block: true });
    const models = [
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'anthropic', model: 'claude-sonnet-4-6' },
    ];
    await expect(t.client.call('chat.retryMany', { messageId: answer.id, models })).rejects.toMatchObject({ code: 'budget_exceeded' });
    const tree = await t.client.call('sessions.tree', { sessionId: session.id });
    expect(tree.nodes).toHaveLength(2);
  });
});

describe("re-running with several models and the chat's tool rules", () => {
  let tools: TestCore;
  beforeEach(async () => {
    tools = await startTestCore({ tools: true });
  });
  afterEach(async () => {
    await tools.dispose();
  });

  it("asks for each model's tool call on its own: one allowed runs, one refused does not", async () => {
    const session = await tools.client.call('sessions.create', {});
    tools.provider.enqueue(textReply('About 42.'));
    const sent = await tools.client.call('chat.send', { sessionId: session.id, text: 'What is 6 * 7?' });
    const first = (await tools.client.followRun(sent.runId)).message;
    await tools.client.call('tools.setPolicy', { toolId: 'coda__evaluate_math', policy: 'ask' });
    const call = { kind: 'stream' as const, steps: [{ toolCall: { id: 'm1', name: 'coda__evaluate_math', arguments: '{"expression":"6 * 7"}' } }] };
    tools.provider.forProvider('openai').enqueue(call, textReply('6 × 7 = 42.'));
    tools.provider.forProvider('anthropic').enqueue(call, textReply('I could not compute it.'));
    const { runs } = await tools.client.call('chat.retryMany', {
      messageId: first.id,
      models: [
        { provider: 'openai', model: 'gpt-4.1' },
        { provider: 'anthropic', model: 'claude-sonnet-4-6' },
      ],
    });
    const answer = (runId: string, allow: boolean) =>
      collectRun(tools.client, runId, 0, (event: RunEvent) => {
        if (event.type === 'approval-request') void tools.client.call('chat.approve', { runId, toolCallId: event.toolCallId, allow });
      });
    const [allowed, refused] = await Promise.all([answer(runs[0]!.runId, true), answer(runs[1]!.runId, false)]);
    expect(allowed.filter((e) => e.type === 'approval-request')).toHaveLength(1);
    expect(refused.filter((e) => e.type === 'approval-request')).toHaveLength(1);
    const trace = await tools.client.call('messages.agentTrace', { messageIds: runs.map((r) => r.messageId) });
    const status = (messageId: string) => trace.toolCalls.filter((c) => c.messageId === messageId).map((c) => c.status);
    expect(status(runs[0]!.messageId)).toEqual(['success']);
    expect(status(runs[1]!.messageId)).toEqual(['denied']);
    // The comparison counts each side's tool call.
    const compared = await tools.client.call('sessions.compare', { sessionId: session.id, leftId: runs[0]!.messageId, rightId: runs[1]!.messageId });
    expect([compared.left.totals.toolCalls, compared.right.totals.toolCalls]).toEqual([1, 1]);
    expect(compared.rows[0]!.left!.answers[0]!.text).toContain('42');
  });
});
