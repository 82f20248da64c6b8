import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextPreview, Message } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda context show`, run as a user would, on a chat made with `coda chat`.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-context-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });

describe('coda context show', { timeout: 120_000 }, () => {
  it("prints the breakdown of a chat's next request and where each message goes, as a table or JSON", async () => {
    provider.enqueue(textReply('Hello!'));
    const chat = await coda(['chat', '--json', '--model', 'gpt-4o', 'Hi there']);
    expect(chat.code).toBe(0);
    const done = JSON.parse(chat.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message };
    const sessionId = done.message.sessionId;

    const json = await coda(['context', 'show', sessionId.slice(0, 20), '--json']);
    expect(json.code).toBe(0);
    const breakdown = JSON.parse(json.stdout) as ContextPreview;
    expect(breakdown).toMatchObject({ window: 128_000, outputReserve: 16_384, budget: 111_616, dropped: [], pinsOverBudget: false });
    expect(breakdown.included).toHaveLength(2);
    expect(breakdown.included).toContain(done.message.id);
    expect(breakdown.recent).toBeGreaterThan(0);
    expect(breakdown.messages).toEqual([
      { messageId: done.message.parentId, role: 'user', excerpt: 'Hi there', tokens: expect.any(Number), status: 'in', recalledFrom: null },
      { messageId: done.message.id, role: 'assistant', excerpt: 'Hello!', tokens: expect.any(Number), status: 'in', recalledFrom: null },
    ]);

    const text = await coda(['context', 'show', sessionId]);
    expect(text.stdout).toContain('window 128,000 tokens − 16,384 kept for the answer = budget 111,616');
    expect(text.stdout).toContain('messages: 2 in, 0 shortened, 0 left out');
    expect(text.stdout).toMatch(new RegExp(`in\\s+\\d+\\s+${done.message.id.slice(0, 8)}\\s+answer\\s+Hello!`));
  });

  it('says so when no chat has that id', async () => {
    const result = await coda(['context', 'show', 'ffffffff-nothing']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/chat|session/i);
  });
});
