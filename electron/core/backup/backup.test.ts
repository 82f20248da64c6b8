import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsDir, tempDir } from '../../../tests/helpers/core.js';
import { DEFAULT_SETTINGS } from '../core.js';
import { filePreferences } from '../settings/preferences.js';
import { MessagesRepository } from '../store/repositories/messages.js';
import { SessionsRepository } from '../store/repositories/sessions.js';
import { Store } from '../store/store.js';
import { restoreBackup } from './restore-backup.js';
import { writeBackup } from './write-backup.js';
import { completeAnswer } from '../../../tests/helpers/seed.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const answer = { provider: 'openai', model: 'gpt-test', estimatedInputTokens: null, traceId: null };

async function folder(prefix: string) {
  const made = await tempDir(prefix);
  cleanups.push(made.remove);
  return made.dir;
}

async function open(dataDir: string) {
  const store = await Store.open(dataDir, migrationsDir);
  cleanups.push(() => store.close());
  return { store, sessions: new SessionsRepository(store), messages: new MessagesRepository(store) };
}

/** Every chat with the texts on its active path, as a user would see them after opening each. */
async function chats(dataDir: string) {
  const { store, sessions, messages } = await open(dataDir);
  const page = await sessions.list(null, 1000);
  const seen = [];
  for (const session of page.items) {
    const leaf = session.activeLeafId;
    const shown = leaf ? (await messages.path(leaf, 10_000)).messages : [];
    seen.push({ title: session.title, texts: shown.map((m) => m.content.map((p) => (p.type === 'text' ? p.text : '')).join('')) });
  }
  await store.close();
  return seen.sort((a, b) => a.title.localeCompare(b.title));
}

/** Name, size and hash of every file under a folder: proof that a refused restore changed nothing. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return out;
}

/** A data folder with two chats, preferences and an attachment, closed again. */
async function sampleData(dataDir: string) {
  const { store, sessions, messages } = await open(dataDir);
  for (const title of ['Alpha', 'Beta']) {
    const session = await sessions.create({ title, titleSource: 'user', settings: DEFAULT_SETTINGS });
    const first = await messages.addExchange(session.id, null, `${title} question 1`, answer);
    await messages.finish(first.assistant.id, completeAnswer(`${title} answer 1`, answer));
    await messages.addExchange(session.id, await messages.require(first.assistant.id), `${title} question 2`, answer);
  }
  await store.close();
  filePreferences(dataDir).set('appearance', { theme: 'dark', fontSize: 17, density: 'compact' });
  const bytes = Buffer.from('a picture, say');
  await mkdir(path.join(dataDir, 'attachments'), { recursive: true });
  await writeFile(path.join(dataDir, 'attachments', createHash('sha256').update(bytes).digest('hex')), bytes);
  await writeFile(path.join(dataDir, 'keys.json'), '{"version":1,"keys":{"openai":"machine-bound"}}');
}

async function backUp(dataDir: string, out: string) {
  const { store } = await open(dataDir);
  const written = await writeBackup(store, dataDir, out);
  await store.close();
  return written;
}

describe('backup and restore', () => {
  it('takes a consistent snapshot while answers are being written, with every exchange asked for before it', async () => {
    const dataDir = await folder('coda-backup-live-');
    const { store, sessions, messages } = await open(dataDir);
    const session = await sessions.create({ title: 'Busy', titleSource: 'user', settings: DEFAULT_SETTINGS });
    const before = Array.from({ length: 150 }, (_, i) => messages.addExchange(session.id, null, `before ${i}`, answer));
    const backup = writeBackup(store, dataDir, path.join(await folder('coda-backup-out-'), 'live.zip'));
    const during = Array.from({ length: 150 }, (_, i) => messages.addExchange(session.id, null, `during ${i}`, answer));
    const [written] = await Promise.all([backup, Promise.all(before), Promise.all(during)]);
    await store.close();

    const restored = await folder('coda-backup-live-restored-');
    await restoreBackup(written.file, restored, migrationsDir);
    const { store: again } = await open(restored);
    const rows = await again.db.all<{ role: string; content: string; parent_id: string | null; id: string }>(
      'SELECT id, role, content, parent_id FROM messages' as never,
    );
    const texts = rows.filter((r) => r.role === 'user').map((r) => JSON.stringify(r.content));
    for (let i = 0; i < 150; i++) expect(texts.some((t) => t.includes(`before ${i}`))).toBe(true);
    // Each exchange is one transaction: no question without its answer, and no answer without its question.
    const users = new Set(rows.filter((r) => r.role === 'user').map((r) => r.id));
    const answers = rows.filter((r) => r.role === 'assistant');
    expect(answers).toHaveLength(users.size);
    expect(answers.every((a) => a.parent_id !== null && users.has(a.parent_id))).toBe(true);
    const integrity = await again.db.all<{ integrity_check: string }>('PRAGMA integrity_check' as never);
    expect(integrity[0]?.integrity_check).toBe('ok');
  });

  it('restores into a new data folder the chats, preferences and attachments, but not the machine-bound keys', async () => {
    const source = await folder('coda-backup-src-');
    await sampleData(source);
    const written = await backUp(source, path.join(await folder('coda-backup-out-'), 'all.zip'));
    expect(written.manifest.files.map((f) => f.path).sort()).toEqual([
      'attachments/7c92f838ce1d16cf793ec2deac637492d1c589c174b51c1a2acae32a40af34a9',
      'coda.db',
      'preferences.json',
    ]);
    expect(written.manifest.notIncluded.join(' ')).toContain('keys.json');
    const zip = await JSZip.loadAsync(await readFile(written.file));
    expect(Object.keys(zip.files).some((name) => name.includes('keys.json'))).toBe(false);
    expect((await stat(written.file)).mode & 0o077).toBe(0);

    const target = path.join(await folder('coda-backup-dst-'), 'new data');
    const restored = await restoreBackup(written.file, target, migrationsDir);
    expect(restored.previous).toBeNull();
    expect(await chats(target)).toEqual(await chats(source));
    expect(await chats(target)).toEqual([
      { title: 'Alpha', texts: ['Alpha question 1', 'Alpha answer 1', 'Alpha question 2', ''] },
      { title: 'Beta', texts: ['Beta question 1', 'Beta answer 1', 'Beta question 2', ''] },
    ]);
    expect(filePreferences(target).get('appearance')).toMatchObject({ theme: 'dark' });
    expect(await readdir(path.join(target, 'attachments'))).toEqual(await readdir(path.join(source, 'attachments')));
    await expect(stat(path.join(target, 'keys.json'))).rejects.toThrow();
  });

  it('keeps the data it replaces, and the keys of this machine, when restoring over an existing folder', async () => {
    const out = await folder('coda-backup-out-');
    const source = await folder('coda-backup-src-');
    await sampleData(source);
    const all = await backUp(source, path.join(out, 'all.zip'));
    const other = await folder('coda-backup-other-');
    const { store, sessions } = await open(other);
    await sessions.create({ title: 'Only here', titleSource: 'user', settings: DEFAULT_SETTINGS });
    await store.close();
    const onlyHere = await backUp(other, path.join(out, 'only-here.zip'));

    // The folder is filled by a restore, not by a store of this process: SQLite counts a connection this process
    // closed as open until its statements are collected, and a restore refuses a database someone has open.
    const target = await folder('coda-backup-dst-');
    await restoreBackup(onlyHere.file, target, migrationsDir);
    await writeFile(path.join(target, 'keys.json'), 'this machine');
    const restored = await restoreBackup(all.file, target, migrationsDir);

    expect(await readFile(path.join(target, 'keys.json'), 'utf8')).toBe('this machine');
    expect(restored.previous).toMatch(/backups\/before-restore-/);
    expect(await readdir(restored.previous ?? '')).toEqual(['attachments', 'coda.db']);
    expect((await chats(target)).map((c) => c.title)).toEqual(['Alpha', 'Beta']);
    expect((await chats(restored.previous ?? '')).map((c) => c.title)).toEqual(['Only here']);
  });

  it('refuses truncated, foreign, tampered and newer backups with a specific message, changing nothing', async () => {
    const source = await folder('coda-backup-src-');
    await sampleData(source);
    const out = await folder('coda-backup-out-');
    const good = (await backUp(source, path.join(out, 'good.zip'))).file;
    const bytes = await readFile(good);
    const original = await JSZip.loadAsync(bytes);
    const manifest = JSON.parse(await original.file('manifest.json')!.async('string')) as { migrations: { latest: number }; appVersion: string };

    // Filled by a restore: no connection of this process is left to fold its log into the file meanwhile.
    const target = await folder('coda-backup-dst-');
    await restoreBackup(good, target, migrationsDir);
    await writeFile(path.join(target, 'keys.json'), 'this machine');
    const before = await fingerprint(target);

    const zipOf = async (edit: (zip: JSZip) => void) => {
      const zip = await JSZip.loadAsync(bytes);
      edit(zip);
      return zip.generateAsync({ type: 'nodebuffer' });
    };
    const cases: [string, Buffer | string, RegExp][] = [
      ['truncated.zip', bytes.subarray(0, Math.floor(bytes.length / 2)), /incomplete or damaged/],
      ['notes.zip', 'just some text', /not a Coda Agent backup \(not a zip file\)/],
      ['photos.zip', await new JSZip().file('photo.jpg', 'jpeg bytes').generateAsync({ type: 'nodebuffer' }), /a zip without manifest\.json/],
      [
        'tampered.zip',
        await zipOf((zip) => zip.file('data/coda.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096)]))),
        /coda\.db does not match its checksum/,
      ],
      ['extra.zip', await zipOf((zip) => zip.file('data/../../evil.sh', 'rm -rf ~')), /which its manifest does not list/],
      [
        'newer.zip',
        await zipOf((zip) =>
          zip.file('manifest.json', JSON.stringify({ ...manifest, appVersion: '9.0.0', migrations: { applied: 999, latest: manifest.migrations.latest + 1 } })),
        ),
        /made by a newer Coda Agent \(9\.0\.0/,
      ],
      ['bad-manifest.zip', await zipOf((zip) => zip.file('manifest.json', '{"format":"something-else"}')), /manifest\.json: format/],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(out, name);
      await writeFile(file, content);
      const error = await restoreBackup(file, target, migrationsDir).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message, name).toMatch(message);
      expect(error?.message, name).toContain('Nothing was changed.');
      expect(await fingerprint(target), name).toEqual(before);
    }
    await expect(restoreBackup(path.join(out, 'missing.zip'), target, migrationsDir)).rejects.toThrow(/There is no file/);
    expect((await chats(target)).map((c) => c.title)).toEqual(['Alpha', 'Beta']);
  });
});
