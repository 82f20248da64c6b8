import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodaClient, type Session } from '../shared/index.js';
import { createCore, DEFAULT_SETTINGS } from '../electron/core/core.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import { runCli } from './helpers/cli.js';
import { migrationsDir, tempDir } from './helpers/core.js';

// Settings › Data: backups listed, downloaded in pieces, a restore checked and scheduled for the next start, and
// cancelled. The swap at the next start needs a process that never had the database open: the browser test restarts
// serve mode for it.
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('coda-restore-settings-');
});
afterAll(async () => {
  await work.remove();
});

/** The chats a new start shows, and what it said on stderr (the restore it did, if any). */
const start = async (dataDir: string) => {
  const listed = await runCli(['--data-dir', dataDir, 'sessions', 'list', '--json'], {});
  expect(listed.code).toBe(0);
  return { titles: (JSON.parse(listed.stdout) as Session[]).map((s) => s.title).sort(), said: listed.stderr };
};

/** Core on the data folder as the app opens it, with the typed client Settings uses; closed by `close`. */
async function openApp(dataDir: string) {
  const core = await createCore({ dataDir, migrationsDir, defaultSettings: { enabledTools: [] } });
  return { client: new CodaClient(core), close: () => core.close() };
}

describe('restore from Settings', () => {
  it('lists and downloads a backup, schedules its restore after checking it, and cancels it', async () => {
    const dataDir = path.join(work.dir, 'data');
    const store = await Store.open(dataDir, migrationsDir);
    for (const title of ['Alpha', 'Beta']) await new SessionsRepository(store).create({ title, titleSource: 'user', settings: DEFAULT_SETTINGS });
    await store.close();

    const app = await openApp(dataDir);
    const made = await app.client.call('data.backup', {});
    await app.client.call('sessions.create', { title: 'Gamma' });
    const { backups } = await app.client.call('data.backups', {});
    expect(backups.map((b) => b.name)).toEqual([path.basename(made.file)]);
    const name = backups[0]?.name ?? '';

    // The download, piece by piece, is the file on disk byte for byte.
    const pieces: Buffer[] = [];
    for (let offset = 0, done = false; !done;) {
      const piece = await app.client.call('data.backupPiece', { name, offset });
      const bytes = Buffer.from(piece.base64, 'base64');
      pieces.push(bytes);
      offset += bytes.length;
      done = piece.done;
    }
    expect(Buffer.concat(pieces).equals(await readFile(made.file))).toBe(true);

    // Only names of files in backups/: no path, no other file.
    await expect(app.client.call('data.backupPiece', { name: '../coda.db', offset: 0 })).rejects.toThrow('not the name of a backup file');
    await expect(app.client.call('data.restore', { name: 'missing.zip' })).rejects.toThrow('There is no backup named missing.zip');

    const pending = await app.client.call('data.restore', { name });
    expect(pending).toMatchObject({ name, appVersion: expect.any(String) });
    // A damaged backup is refused when chosen, and the restore already scheduled stays.
    await writeFile(path.join(dataDir, 'backups', 'damaged.zip'), (await readFile(made.file)).subarray(0, 2000));
    await expect(app.client.call('data.restore', { name: 'damaged.zip' })).rejects.toThrow(/Cannot restore .*damaged\.zip: .*Nothing was changed/);
    expect((await app.client.call('data.restoreStatus', {})).pending?.name).toBe(name);
    // The running app keeps its data until it restarts; the desktop app alone restarts itself.
    expect((await app.client.call('app.info', {})).canRestart).toBe(false);
    await expect(app.client.call('app.restart', {})).rejects.toThrow('Only the desktop app can restart itself');
    // Cancelled: nothing stays scheduled.
    await app.client.call('data.cancelRestore', {});
    expect(await app.client.call('data.restoreStatus', {})).toEqual({ pending: null, last: null });
    await app.close();
    // A start with nothing scheduled says nothing and changes nothing (the swap itself: tests/browser/restore.browser.test.ts).
    expect(await start(dataDir)).toEqual({ titles: ['Alpha', 'Beta', 'Gamma'], said: '' });
  });
});
