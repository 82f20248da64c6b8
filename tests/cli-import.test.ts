import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument, type Message } from '../shared/index.js';
import type { ImportReport } from '../electron/core/import/coda-import.js';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';

// `coda import`, run as a user would: from one data folder's export into another.
let provider: ScriptedProviderServer;
let from: Awaited<ReturnType<typeof tempDir>>;
let into: Awaited<ReturnType<typeof tempDir>>;
const coda = (dir: string, args: string[]) => runCli(['--data-dir', dir, ...args], scriptedEnv(provider));

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  from = await tempDir('coda-cli-import-from-');
  into = await tempDir('coda-cli-import-into-');
});
afterAll(async () => {
  await provider.close();
  await from.remove();
  await into.remove();
});

describe('coda import', { timeout: 300_000 }, () => {
  it('imports an export into another data folder, then skips, replaces or copies it, and prints what it did', async () => {
    provider.enqueue(textReply('Mars.'));
    const sent = await coda(from.dir, ['chat', '--json', 'Name a planet']);
    const message = (JSON.parse(sent.stdout.trim().split('\n').at(-1) ?? '{}') as { message: Message }).message;
    const file = path.join(from.dir, 'chats.json');
    expect((await coda(from.dir, ['export', '--all', '--out', file])).code).toBe(0);
    const title = ExportDocument.parse(JSON.parse(await readFile(file, 'utf8'))).chats[0]!.title;

    const first = await coda(into.dir, ['import', file]);
    expect(first).toMatchObject({
      code: 0,
      stdout: `Imported "${title}" (${message.sessionId}, 2 messages)\n1 of 1 chat imported (2 messages), 0 skipped, 0 failed.\n`,
    });
    const roundTrip = path.join(into.dir, 'again.json');
    expect((await coda(into.dir, ['export', '--all', '--out', roundTrip])).code).toBe(0);
    expect(ExportDocument.parse(JSON.parse(await readFile(roundTrip, 'utf8'))).chats).toEqual(
      ExportDocument.parse(JSON.parse(await readFile(file, 'utf8'))).chats,
    );

    const skip = await coda(into.dir, ['import', file, '--on-conflict', 'skip']);
    expect(skip.stdout).toContain(`Skipped "${title}" (${message.sessionId}): a chat with this id is already here\n0 of 1 chat imported`);
    const replace = await coda(into.dir, ['import', file, '--on-conflict', 'replace', '--json']);
    expect(JSON.parse(replace.stdout) as ImportReport).toMatchObject({ imported: 1, chats: [{ outcome: 'replaced', id: message.sessionId }] });
    const copy = await coda(into.dir, ['import', '--from', 'coda', file]);
    expect(copy.stdout).toMatch(new RegExp(`^Copied "${title}" as [0-9a-f-]{36} \\(2 messages; ${message.sessionId} was already here\\)\n`));
    const list = await coda(into.dir, ['export', '--all', '--out', roundTrip]);
    expect(list.stdout).toContain('Exported 2 chats (4 messages');

    // --progress shows the two phases on stderr (a terminal gets them without asking); the report is unchanged.
    const shown = await coda(into.dir, ['import', file, '--on-conflict', 'skip', '--progress']);
    expect(shown.stdout).toContain(`Skipped "${title}"`);
    expect(shown.stderr).toMatch(/^Checking… 0% \(0\.0 MB of 0\.0 MB, 0 chats\)\n(.*\n)*Importing… 100% \(1 of 1 chats\)\n$/);
    expect((await coda(into.dir, ['import', file, '--on-conflict', 'skip', '--json'])).stderr).toBe('');
  });

  it('recognises ChatGPT, Claude, Open WebUI and LibreChat exports by themselves and keeps every branch', async () => {
    const other = await tempDir('coda-cli-import-apps-');
    try {
      const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/import/${name}`, import.meta.url));
      const printed: string[] = [];
      for (const name of ['chatgpt.json', 'claude.json', 'openwebui.json', 'librechat.json']) {
        const result = await coda(other.dir, ['import', fixture(name), '--json']);
        expect(result.code).toBe(0);
        const report = JSON.parse(result.stdout) as ImportReport;
        expect(report.failed).toBe(0);
        printed.push(...report.chats.map((c) => c.title));
      }
      expect(printed).toEqual(['Plotting sales data', 'Untitled chat', 'Reading the lease', 'Haiku', 'Rust lifetimes', 'Old chat', 'SQL window functions']);
      // The ChatGPT chat's edited question is a second branch: the export holds both, the transcript shows the chosen one.
      const out = path.join(other.dir, 'all.json');
      expect((await coda(other.dir, ['export', '--all', '--out', out])).code).toBe(0);
      const plotting = ExportDocument.parse(JSON.parse(await readFile(out, 'utf8'))).chats.find((c) => c.title === 'Plotting sales data');
      const children = new Map<string | null, number>();
      for (const m of plotting?.messages ?? []) children.set(m.parentId, (children.get(m.parentId) ?? 0) + 1);
      expect(Math.max(...children.values())).toBeGreaterThan(1);
      // The same file again meets the conflict choice.
      const again = await coda(other.dir, ['import', fixture('chatgpt.json'), '--on-conflict', 'skip']);
      expect(again.stdout).toContain('0 of 2 chats imported (0 messages), 2 skipped, 0 failed.');
    } finally {
      await other.remove();
    }
  });

  it('refuses a bad file or bad options with one clear line, and imports nothing', async () => {
    const broken = path.join(into.dir, 'broken.json');
    await writeFile(broken, '{"format":"coda-export","version":1,"chats":[{"id":');
    const result = await coda(into.dir, ['import', broken]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^coda: Cannot import this file: it is not valid JSON .*; it may be truncated\.\n$/);
    expect((await coda(into.dir, ['import', broken, '--on-conflict', 'merge'])).stderr).toContain('give skip, replace or copy');
    expect((await coda(into.dir, ['import', broken, '--from', 'whatsapp'])).stderr).toContain('give auto, coda, chatgpt, claude, openwebui or librechat');
    // A file of another app read as Claude's: the field that does not fit, in the conversation it is in.
    const chatgpt = fileURLToPath(new URL('./fixtures/import/chatgpt.json', import.meta.url));
    const wrong = await coda(into.dir, ['import', chatgpt, '--from', 'claude']);
    expect(wrong).toMatchObject({
      code: 1,
      stderr: 'coda: Cannot import this file: conversation 0: field uuid: Invalid input: expected string, received undefined.\n',
    });
    const foreign = path.join(into.dir, 'foreign.json');
    await writeFile(foreign, '[{"mapping":{}}]');
    expect((await coda(into.dir, ['import', foreign])).stderr).toContain(
      'it is not an export this app recognizes (it reads: coda (a Coda export), chatgpt (a ChatGPT export), claude',
    );
    const missing = await coda(into.dir, ['import', path.join(into.dir, 'nope.json')]);
    expect(missing.stderr).toBe(`coda: No file at ${path.join(into.dir, 'nope.json')}.\n`);
    // Still the two chats of the first test.
    expect((await coda(into.dir, ['export', '--all', '--out', path.join(into.dir, 'after.json')])).stdout).toContain('Exported 2 chats (4 messages');
  });
});
