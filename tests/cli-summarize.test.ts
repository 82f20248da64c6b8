import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Summary } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda summarize`, run as a user would, on a chat made with `coda chat`.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-summarize-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });

describe('coda summarize', { timeout: 120_000 }, () => {
  it('summarizes a chat and prints the summary, its range and coverage, as text or JSON', async () => {
    provider.enqueue(textReply('Lisbon it is, for 12 people.'));
    const chat = await coda(['chat', '--json', '--model', 'gpt-4o', 'Plan the offsite with Maria: Lisbon or Porto? We are 12 people.']);
    expect(chat.code).toBe(0);
    const done = JSON.parse(chat.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message };
    const sessionId = done.message.sessionId;

    provider.enqueue(textReply('Maria plans an offsite in Lisbon for 12 people.'));
    const text = await coda(['summarize', sessionId.slice(0, 20)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^summary of 2 messages, from [\w-]{36} to [\w-]{36} \(openai\/gpt-4o, manual\)$/m);
    expect(text.stdout).toMatch(/^coverage 75%: 3 of 4 names, numbers and decisions kept$/m);
    expect(text.stdout).toContain(`to ${done.message.id} `);
    expect(text.stdout).toContain('  lost name: Porto\n');
    expect(text.stdout.trim().endsWith('Maria plans an offsite in Lisbon for 12 people.')).toBe(true);

    // Nothing new since: the same summary, without a model call.
    const json = await coda(['summarize', sessionId, '--json']);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as Summary;
    expect(summary).toMatchObject({ sessionId, toMessageId: done.message.id, messageCount: 2, trigger: 'manual' });
    expect(summary.quality.lost).toEqual([{ kind: 'name', text: 'Porto' }]);

    // The next request sends the summary instead.
    const context = await coda(['context', 'show', sessionId]);
    expect(context.stdout).toMatch(/^ {2}summary +\d+$/m);
    expect(context.stdout).toContain('messages: 0 in, 0 shortened, 0 left out');
    expect(context.stdout.match(/^ {2}summarized +\d+ {2}\w{8} {2}(you|answer)/gm)).toHaveLength(2);
  });

  it('says why when the summarizer fails, and when no chat has that id', async () => {
    provider.enqueue(textReply('Hello!'));
    const chat = await coda(['chat', '--json', '--model', 'gpt-4o', 'Hi there']);
    const sessionId = (JSON.parse(chat.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message }).message.sessionId;
    provider.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
    const failed = await coda(['summarize', sessionId]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/The summarizer \(openai\/gpt-4o\) failed: .*API key/);

    const missing = await coda(['summarize', 'ffffffff-nothing']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/chat|session/i);
  });
});
