import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
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

  it('refuses a bad file or bad options with one clear line, and imports nothing', async () => {
    const broken = path.join(into.dir, 'broken.json');
    await writeFile(broken, '{"format":"coda-export","version":1,"chats":[{"id":');
    const result = await coda(into.dir, ['import', broken]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^coda: Cannot import this file: it is not valid JSON .*; it may be truncated\.\n$/);
    expect((await coda(into.dir, ['import', broken, '--on-conflict', 'merge'])).stderr).toContain('give skip, replace or copy');
    expect((await coda(into.dir, ['import', broken, '--from', 'whatsapp'])).stderr).toContain('give auto, coda, chatgpt, claude, openwebui or librechat');
    const later = await coda(into.dir, ['import', broken, '--from', 'claude']);
    expect(later).toMatchObject({ code: 1, stderr: 'coda: Importing a Claude export is not available in this version; it reads: coda (a Coda export).\n' });
    const foreign = path.join(into.dir, 'foreign.json');
    await writeFile(foreign, '[{"mapping":{}}]');
    expect((await coda(into.dir, ['import', foreign])).stderr).toContain('it is not an export this app recognizes (it reads: coda (a Coda export))');
    const missing = await coda(into.dir, ['import', path.join(into.dir, 'nope.json')]);
    expect(missing.stderr).toBe(`coda: No file at ${path.join(into.dir, 'nope.json')}.\n`);
    // Still the two chats of the first test.
    expect((await coda(into.dir, ['export', '--all', '--out', path.join(into.dir, 'after.json')])).stdout).toContain('Exported 2 chats (4 messages');
  });
});
