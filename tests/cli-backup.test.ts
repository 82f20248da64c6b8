import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../shared/index.js';
import { DEFAULT_SETTINGS } from '../electron/core/core.js';
import { MessagesRepository } from '../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import { runCli } from './helpers/cli.js';
import { migrationsDir, tempDir } from './helpers/core.js';

// `coda backup` and `coda restore`, run as a user would: each command in its own process.
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  work = await tempDir('coda-cli-backup-');
});
afterAll(async () => {
  await work.remove();
});

const coda = (dataDir: string, args: string[]) => runCli(['--data-dir', dataDir, ...args], {});
const titles = async (dataDir: string) => {
  const listed = await coda(dataDir, ['sessions', 'list', '--json']);
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as Session[]).map((s) => s.title).sort();
};

async function dataWithChats(name: string, chatTitles: string[]): Promise<string> {
  const dataDir = path.join(work.dir, name);
  const store = await Store.open(dataDir, migrationsDir);
  const sessions = new SessionsRepository(store);
  const messages = new MessagesRepository(store);
  for (const title of chatTitles) {
    const session = await sessions.create({ title, titleSource: 'user', settings: DEFAULT_SETTINGS });
    await messages.addExchange(session.id, null, `About ${title}`, { provider: 'openai', model: 'gpt-test', estimatedInputTokens: null, traceId: null });
  }
  await store.close();
  return dataDir;
}

describe('coda backup and coda restore', { timeout: 300_000 }, () => {
  it('backs up a data folder to one file and restores it into a new folder, then over it keeping what it replaced', async () => {
    const source = await dataWithChats('source', ['Trip plan', 'Tax questions']);
    const out = path.join(work.dir, 'coda-backup.zip');
    const backedUp = await coda(source, ['backup', '--out', out]);
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toContain(`to ${out}.`);
    expect(backedUp.stdout).toContain('Not included: saved provider and tool-server keys (keys.json)');
    // A backup never overwrites a file.
    const again = await coda(source, ['backup', '--out', out]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists; choose another name');

    const target = path.join(work.dir, 'restored');
    const restored = await coda(target, ['restore', out]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`into ${target}.`);
    expect(await titles(target)).toEqual(['Tax questions', 'Trip plan']);

    const other = await dataWithChats('other', ['Garden']);
    const otherOut = path.join(work.dir, 'garden.zip');
    expect((await coda(other, ['backup', '--out', otherOut, '--json'])).code).toBe(0);
    const over = await coda(target, ['restore', otherOut, '--json']);
    expect(over.code).toBe(0);
    const { previous } = JSON.parse(over.stdout) as { previous: string };
    expect(await titles(target)).toEqual(['Garden']);
    expect(await readdir(previous)).toContain('coda.db');
    expect(await titles(previous)).toEqual(['Tax questions', 'Trip plan']);
  });

  it('refuses to restore while another process has the database open, and a damaged file, changing nothing', async () => {
    const source = await dataWithChats('held-source', ['Kept']);
    const out = path.join(work.dir, 'held.zip');
    expect((await coda(source, ['backup', '--out', out])).code).toBe(0);
    const target = path.join(work.dir, 'held-target');
    expect((await coda(target, ['restore', out])).code).toBe(0);

    const damaged = path.join(work.dir, 'damaged.zip');
    await writeFile(damaged, (await readFile(out)).subarray(0, 2000));
    const refusedDamaged = await coda(target, ['restore', damaged]);
    expect(refusedDamaged.code).not.toBe(0);
    expect(refusedDamaged.stderr).toMatch(/^coda: Cannot restore .*damaged\.zip: it is incomplete or damaged .* Nothing was changed\.\n$/);

    // The app (here: this test's process) has the database open.
    const app = await Store.open(target, migrationsDir);
    try {
      const refused = await coda(target, ['restore', out]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('is open in Coda Agent (the app, serve mode or another command). Quit it, then restore again; nothing was changed.');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await app.close();
    }
    expect(await titles(target)).toEqual(['Kept']);
    expect((await readdir(target)).filter((name) => name.startsWith('.restore-'))).toEqual([]);
  });

  it('says clearly when the backup cannot be written', async () => {
    const source = await dataWithChats('nowhere', ['Any']);
    const result = await coda(source, ['backup', '--out', path.join(work.dir, 'no-such-folder', 'b.zip')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('the folder');
    expect(result.stderr).toContain('no-such-folder does not exist');
  });
});
