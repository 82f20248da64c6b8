import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Session } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda merge`, run as a user would, on chats made with `coda chat`.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-merge-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });

async function chat(text: string, reply: string): Promise<{ user: string; answer: Message }> {
  provider.enqueue(textReply(reply));
  const run = await coda(['chat', '--json', '--model', 'gpt-4o', text]);
  expect(run.code).toBe(0);
  const done = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message };
  return { user: done.message.parentId!, answer: done.message };
}

describe('coda merge', { timeout: 120_000 }, () => {
  it('copies messages of one chat into another (ids by their starts), or writes a summary of them, and refuses bad input clearly', async () => {
    const source = await chat('Plan the offsite in Lisbon', 'Lisbon, 12 people, in May.');
    const target = await chat('Budget notes', 'Noted.');
    const from = source.answer.sessionId;
    const into = target.answer.sessionId;

    const text = await coda(['merge', '--from', from.slice(0, 24), '--messages', source.user.slice(0, 30), source.answer.id, '--into', into]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^merged 2 messages from ".+" into ".+" \([\w-]{36}\)$/m);
    expect(text.stdout).toMatch(/^[\w-]{36} {2}assistant {1}Merged from “.+”: Lisbon, 12 people, in May\.$/m);

    provider.enqueue(textReply('Offsite: Lisbon, May, 12 people.'));
    const json = await coda([
      'merge',
      '--from',
      from,
      '--messages',
      source.user,
      source.answer.id,
      '--into',
      into,
      '--after',
      target.user.slice(0, 30),
      '--summary',
      '--json',
    ]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { session: Session; merged: Message[] };
    expect(result.merged).toHaveLength(1);
    expect(result.merged[0]).toMatchObject({
      parentId: target.user,
      model: 'gpt-4o',
      origin: { kind: 'summary', sessionId: from, messageIds: [source.user, source.answer.id] },
    });
    expect(result.session.activeLeafId).toBe(result.merged[0]!.id);

    const unknown = await coda(['merge', '--from', from, '--messages', 'ffffffff', '--into', into]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No message starting with ffffffff');
    const wrongTarget = await coda(['merge', '--from', from, '--messages', source.answer.id, '--into', into, '--after', source.user]);
    expect(wrongTarget.code).not.toBe(0);
    expect(wrongTarget.stderr).toContain(`No message starting with ${source.user}`);
  });
});
