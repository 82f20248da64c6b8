import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument, type Message } from '../shared/index.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda export`, run as a user would.
let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;
const coda = (args: string[]) => runCli(['--data-dir', data.dir, ...args], { ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli-export-secret' });

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-export-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

async function chat(text: string, reply: string): Promise<Message> {
  provider.enqueue(textReply(reply));
  const result = await coda(['chat', '--json', text]);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message }).message;
}

describe('coda export', { timeout: 300_000 }, () => {
  it('writes chats named by the start of their ids, or all of them, as JSON or a Markdown transcript', async () => {
    const first = await chat('Name a planet', 'Mars.');
    const second = await chat('Name a river', 'The Nile.');

    const one = path.join(data.dir, 'one.json');
    const exported = await coda(['export', first.sessionId.slice(0, 20), '--out', one]);
    expect(exported).toMatchObject({ code: 0, stdout: `Exported 1 chat (2 messages, ${(await readFile(one)).length} bytes) to ${one}.\n` });
    const doc = ExportDocument.parse(JSON.parse(await readFile(one, 'utf8')));
    expect(doc.chats.map((c) => c.messages.map((m) => m.text))).toEqual([['Name a planet', 'Mars.']]);
    expect(await readFile(one, 'utf8')).not.toContain('sk-cli-export-secret');

    const all = path.join(data.dir, 'all.json');
    expect((await coda(['export', '--all', '--out', all])).code).toBe(0);
    expect(ExportDocument.parse(JSON.parse(await readFile(all, 'utf8'))).chats.map((c) => c.id)).toEqual([first.sessionId, second.sessionId]);

    const md = path.join(data.dir, 'chat.md');
    expect((await coda(['export', second.sessionId, '--format', 'md', '--out', md])).code).toBe(0);
    const transcript = await readFile(md, 'utf8');
    expect(transcript).toMatch(/^# Name a river\n/);
    const page = path.join(data.dir, 'chat.html');
    expect((await coda(['export', second.sessionId, '--format', 'html', '--out', page])).code).toBe(0);
    expect(await readFile(page, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<h1>Name a river<\/h1>[\s\S]*<pre>The Nile\.<\/pre>/);
    expect(transcript).toContain('## You\n\nName a river\n\n## Assistant (openai/gpt-4.1-mini)\n\nThe Nile.');
  });

  it('says what is wrong with its arguments, and writes nothing', async () => {
    const neither = await coda(['export', '--out', path.join(data.dir, 'x.json')]);
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain('Say which chats to export (their ids), or --all.');
    const format = await coda(['export', '--all', '--format', 'pdf', '--out', path.join(data.dir, 'x.json')]);
    expect(format.stderr).toContain('give json, md or html');
    const missing = await coda(['export', 'ffffffff', '--out', path.join(data.dir, 'x.json')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    await expect(readFile(path.join(data.dir, 'x.json'))).rejects.toThrow();
  });
});
