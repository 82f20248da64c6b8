import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodaClient, type CompareResult, type Message } from '../shared/index.js';
import { createCore } from '../electron/core/core.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { migrationsDir, scriptedEnv, tempDir } from './helpers/core.js';

// `coda compare`, run as a user would: two answers to one question, by the start of their ids.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-compare-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], scriptedEnv(provider));
const lastJson = <T>(stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;

describe('coda compare', { timeout: 300_000 }, () => {
  it('prints two answers to one question turn by turn with each side’s totals, and the same as JSON', async () => {
    provider.enqueue(textReply('Blue is calm.', { input: 20, output: 4 }));
    const chat = await coda(['chat', '--json', 'Name a colour']);
    expect(chat.code).toBe(0);
    const first = lastJson<{ message: Message }>(chat.stdout).message;
    // The CLI has no retry: a second answer to the same question is made by core on the same data folder.
    const core = await createCore({ dataDir: data.dir, migrationsDir, env: scriptedEnv(provider) });
    provider.enqueue(textReply('Red is bold.', { input: 22, output: 5 }));
    const client = new CodaClient(core);
    const again = await client.call('chat.retry', { messageId: first.id });
    const second = (await client.followRun(again.runId)).message;
    await core.close();

    // A question and its answer made in the same millisecond share their first 20 characters: 28 tell them apart.
    const shown = await coda(['compare', first.sessionId.slice(0, 12), first.id.slice(0, 28), second.id.slice(0, 28)]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('From: Name a colour');
    expect(shown.stdout).toMatch(/A {2}gpt-4\.1-mini: Blue is calm\./);
    expect(shown.stdout).toMatch(/B {2}gpt-4\.1-mini: Red is bold\./);
    expect(shown.stdout).toMatch(/A {2}gpt-4\.1-mini · 1 answer · 20 in \/ 4 out tokens/);

    const json = await coda(['compare', first.sessionId, first.id, second.id, '--json']);
    const result = lastJson<CompareResult>(json.stdout);
    expect(result.rows[0]?.left?.answers[0]?.text).toBe('Blue is calm.');
    expect(result.right.totals).toMatchObject({ answers: 1, inputTokens: 22, outputTokens: 5 });

    // A question's id stands for its branch too (down to its latest answer, Red); an unknown id says so.
    const byQuestion = await coda(['compare', first.sessionId, first.parentId!.slice(0, 28), first.id.slice(0, 28), '--json']);
    expect(byQuestion.stderr).toBe('');
    expect(byQuestion.code).toBe(0);
    const byQuestionResult = lastJson<CompareResult>(byQuestion.stdout);
    expect(byQuestionResult.rows[0]?.right?.answers[0]?.text).toBe('Blue is calm.');
    expect(byQuestionResult.rows[0]?.left?.answers[0]?.text).toBe('Red is bold.');
    const unknown = await coda(['compare', first.sessionId, 'ffffffff', first.id]);
    expect(unknown.stderr).toContain(`No message starting with ffffffff in chat ${first.sessionId}`);

    const same = await coda(['compare', first.sessionId, first.id, first.id]);
    expect(same.code).not.toBe(0);
    expect(same.stderr).toContain('same branch');
  });
});
