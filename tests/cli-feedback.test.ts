import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, ToolCall } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda feedback` and what `sessions show` tells of feedback and tool-call evaluations, run as a user would.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-feedback-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });

interface ShownSession {
  messages: Message[];
  toolCalls: ToolCall[];
}

describe('coda feedback', { timeout: 300_000 }, () => {
  it('rates an answer by the start of its id, and sessions show --json has the feedback and each tool call’s evaluation', async () => {
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'm1', name: 'coda__evaluate_math', arguments: '{"expression":"6 * 7"}' } }] },
      textReply('6 × 7 = 42.'),
    );
    provider.enqueueCompletion({ kind: 'completion', text: 'Six times seven' });
    const chat = await coda(['chat', '--approve', 'auto', '--json', 'What is 6 * 7?']);
    expect(chat.code).toBe(0);
    const done = JSON.parse(chat.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message };
    const answerId = done.message.id;

    const rated = await coda(['feedback', answerId.slice(0, 20), 'down', '--comment', 'Show the working.']);
    expect(rated).toMatchObject({ code: 0, stdout: `Rated answer ${answerId} down, with your comment.\n` });
    // A thumb given again keeps the comment.
    expect((await coda(['feedback', answerId, 'up'])).code).toBe(0);

    const shown = await coda(['sessions', 'show', done.message.sessionId.slice(0, 20), '--json']);
    const view = JSON.parse(shown.stdout) as ShownSession;
    expect(view.messages.find((m) => m.id === answerId)?.feedback).toMatchObject({ rating: 'up', comment: 'Show the working.' });
    expect(view.toolCalls[0]?.evaluation).toMatchObject({
      arguments: 'valid',
      problems: [],
      selection: { answerStatus: 'complete', criteria: { resultUsed: 1, succeeded: 1 } },
    });

    const text = (await coda(['sessions', 'show', done.message.sessionId])).stdout;
    expect(text).toContain(`answer id: ${answerId}`);
    expect(text).toMatch(/evaluation: arguments valid, selection score \d+%/);
    expect(text).toContain('feedback: up: Show the working.');
  });

  it('refuses a rating other than up or down, and an id that names no answer, with a clear message', async () => {
    const bad = await coda(['feedback', '0190abcd', 'meh']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('give up or down');
    const missing = await coda(['feedback', 'ffffffff', 'up']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No answer with id ffffffff');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
