import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-search-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

function coda(args: string[]) {
  return runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli' });
}

async function chat(text: string, answer: string): Promise<string> {
  provider.enqueue(textReply(answer, { input: 10, output: 5 }));
  provider.enqueueCompletion({ kind: 'completion', text: 'A title' });
  const result = await coda(['chat', '--model', 'gpt-4o-mini', text]);
  expect(result.code).toBe(0);
  return /session (\S+)/.exec(result.stderr)?.[1] ?? '';
}

describe('coda search', { timeout: 200_000 }, () => {
  let penguins = '';
  let walruses = '';

  it('finds messages in every chat, matches in brackets', async () => {
    penguins = await chat('How do penguins keep warm?', 'Penguins huddle together in the cold.');
    walruses = await chat('Do walruses huddle too?', 'Walruses huddle on the ice.');
    const result = await coda(['search', 'huddle']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[huddle]');
    expect(result.stdout).toContain(penguins);
    expect(result.stdout).toContain(walruses);
  });

  it('narrows to one session with a shortened id and prints JSON hits', async () => {
    const result = await coda(['search', 'huddle', '--session', walruses.slice(0, 30), '--json']);
    expect(result.code).toBe(0);
    const hits = JSON.parse(result.stdout) as { sessionId: string; role: string; snippet: string }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.sessionId === walruses)).toBe(true);
    expect(hits.map((h) => h.snippet)).toContain(`Walruses ${SNIPPET_OPEN}huddle${SNIPPET_CLOSE} on the ice.`);
  });

  it('says when nothing matches, and rejects a bad limit clearly', async () => {
    const none = await coda(['search', 'zebras']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No messages match.');
    const bad = await coda(['search', 'huddle', '--limit', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/limit/i);
    const empty = await coda(['search', ' ']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('Give the words to search for');
  });

  it('--semantic first embeds every message not embedded yet, with progress, then finds by meaning', async () => {
    const refused = await coda(['search', 'cold', 'birds', '--semantic']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('No embedding model is set');
    // The model chosen in Settings › Recall, as the app writes it to preferences.json.
    const file = path.join(data.dir, 'preferences.json');
    const preferences = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const recall = { embedding: { provider: 'openai', model: 'text-embedding-3-small' }, allChats: false, threshold: 0.5, limit: 5 };
    await writeFile(file, JSON.stringify({ ...preferences, recall }));
    // "keep" and "warm" without "how": no keyword hit has them all, the nearest by meaning is the penguin question.
    const result = await coda(['search', 'keep', 'penguins', 'warm', 'please', '--semantic', '--limit', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Embedding messages: 0 of \d+/);
    expect(result.stderr).toMatch(/Embedded \d+ messages\./);
    expect(result.stdout).toContain('How do penguins keep warm?');
    // Everything is embedded now: no progress the second time.
    const again = await coda(['search', 'walruses', 'ice', '--hybrid', '--json']);
    expect(again.stderr).not.toContain('Embedding messages');
    expect((JSON.parse(again.stdout) as { snippet: string }[])[0]?.snippet).toContain('ice');
  });
});
