import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodaClient } from '../../../shared/index.js';
import { migrationsDir, startTestCore, tempDir, type TestCore } from '../../../tests/helpers/core.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { createCore } from '../core.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

describe('appearance and shortcuts', () => {
  it('starts from the defaults and keeps what the user changes across a restart', async () => {
    expect(await t.client.call('ui.get', {})).toEqual({ appearance: { theme: 'system', fontSize: 15, density: 'comfortable' }, shortcuts: {} });
    await t.client.call('ui.update', { appearance: { theme: 'dark' } });
    await t.client.call('ui.update', { appearance: { fontSize: 18 }, shortcuts: { newChat: 'Mod+Shift+N', search: 'Mod+K' } });
    await t.reopen();
    expect(await t.client.call('ui.get', {})).toEqual({
      appearance: { theme: 'dark', fontSize: 18, density: 'comfortable' },
      shortcuts: { newChat: 'Mod+Shift+N', search: 'Mod+K' },
    });
  });

  it('refuses one key for two actions, a key that is not one, and a font size out of range, saying which', async () => {
    await expect(t.client.call('ui.update', { shortcuts: { newChat: 'Mod+J', search: 'Mod+J' } })).rejects.toMatchObject({
      code: 'validation',
      message: 'Mod+J cannot do two things: it is set for both newChat and search.',
    });
    // Search keeps its default, Mod+K: new chat cannot take it too.
    await expect(t.client.call('ui.update', { shortcuts: { newChat: 'Mod+K' } })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('Mod+K'),
    });
    await expect(t.core.invoke('ui.update', { shortcuts: { newChat: 'Hyper+Q' } })).resolves.toMatchObject({ ok: false, error: { code: 'validation' } });
    await expect(t.client.call('ui.update', { appearance: { fontSize: 40 } })).rejects.toMatchObject({ code: 'validation' });
    expect((await t.client.call('ui.get', {})).shortcuts).toEqual({});
  });
});

describe('the data folder', () => {
  it('backs the data folder up to a file that restores with every chat in it, readable only by the user', async () => {
    await t.client.call('sessions.create', { title: 'Keep me' });
    const { file, bytes, notIncluded } = await t.client.call('data.backup', {});
    expect(file.startsWith(path.join(t.dataDir, 'backups', 'coda-backup-'))).toBe(true);
    expect(bytes).toBeGreaterThan(0);
    expect(notIncluded.join(' ')).toContain('keys');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const restored = await tempDir();
    await restoreBackup(file, restored.dir, migrationsDir);
    const copy = createClient({ url: `file:${path.join(restored.dir, 'coda.db')}` });
    const rows = await copy.execute('SELECT title FROM sessions');
    copy.close();
    await restored.remove();
    expect(rows.rows.map((r) => r['title'])).toEqual(['Keep me']);
  });

  it('opens the folder only where there is a file manager to open it with', async () => {
    await expect(t.client.call('data.openFolder', {})).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('only from the desktop app'),
    });
    expect((await t.client.call('app.info', {})).canOpenFolders).toBe(false);

    const dir = await tempDir();
    const opened: string[] = [];
    const core = await createCore({ dataDir: dir.dir, migrationsDir, env: {}, openFolder: async (folder) => void opened.push(folder) });
    try {
      const client = new CodaClient(core);
      expect((await client.call('app.info', {})).canOpenFolders).toBe(true);
      expect(await client.call('data.openFolder', {})).toEqual({ opened: true });
      expect(opened).toEqual([dir.dir]);
    } finally {
      await core.close();
      await dir.remove();
    }
  });
});
