import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-usage-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });

/** $0.75 with gpt-4.1-mini ($0.40 in, $1.60 out per million tokens). */
const PRICEY = { input: 375_000, output: 375_000 };

describe('coda usage and budgets from the command line', { timeout: 400_000 }, () => {
  it('sums tokens and cost per model, prints every answer as CSV, and checks its dates', async () => {
    provider.enqueue(textReply('One.', PRICEY));
    provider.enqueue(textReply('Two.', PRICEY));
    expect((await coda(['chat', 'first'])).code).toBe(0);
    expect((await coda(['chat', 'second'])).code).toBe(0);

    const summary = await coda(['usage']);
    expect(summary.code).toBe(0);
    const lines = summary.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^model\s+answers\s+input tokens\s+output tokens\s+cost$/);
    expect(lines[1]).toMatch(/^openai\/gpt-4\.1-mini\s+2\s+750,000\s+750,000\s+\$1\.5000$/);
    expect(lines[2]).toMatch(/^total\s+2\s+750,000\s+750,000\s+\$1\.5000$/);

    const csv = (await coda(['usage', '--csv'])).stdout.trim().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^started_at,chat,chat_id,message_id,provider,model,status,input_tokens/);
    expect(csv[2]).toMatch(/,openai,gpt-4\.1-mini,complete,375000,0,0,375000,0,0\.750000,no$/);

    expect((await coda(['usage', '--from', '2000-01-01', '--to', '2000-01-31'])).stdout).toBe('No answers with usage in this range.\n');
    const badDay = await coda(['usage', '--from', '2026-02-30']);
    expect(badDay.code).toBe(1);
    expect(badDay.stderr).toContain('--from takes a day as YYYY-MM-DD, such as 2026-12-01; "2026-02-30" is not one.');
    const backwards = await coda(['usage', '--from', '2026-12-02', '--to', '2026-12-01']);
    expect(backwards.stderr).toContain('--from must not be after --to.');
  });

  it('refuses to send past a blocking monthly limit, and sends once with --over-budget', async () => {
    const file = path.join(data.dir, 'preferences.json');
    const preferences = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...preferences, budgets: { monthlyUsd: 1, chatUsd: null, block: true } }));
    const refused = await coda(['chat', 'third']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The monthly spending limit of \$1\.00 is reached: \$\d+\.\d\d spent this month\..* To send it anyway, add --over-budget\./);
    provider.enqueue(textReply('Three.', PRICEY));
    const sent = await coda(['chat', '--over-budget', 'third']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('Three.');
  });
});
