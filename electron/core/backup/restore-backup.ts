import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@libsql/client/sqlite3';
import JSZip from 'jszip';
import { CodaError } from '../../../shared/index.js';
import { DATABASE_FILE, makePrivateFolder } from '../store/open-database.js';
import { BackupManifest, MANIFEST_ENTRY, appMigrationLevel, databaseMigrationLevel, sha256 } from './manifest.js';

/** What a restore replaces in the data folder; each is moved aside (never deleted) before the backup's takes its place. */
const REPLACED = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, 'preferences.json', 'attachments'] as const;
/** A zip's local-file signature; anything else is not a backup whatever its name. */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** jszip holds the whole file in memory to read it; above this a restore is refused rather than risk running out. */
const MAX_BACKUP_BYTES = 4 * 1024 ** 3;

export interface BackupRestored {
  manifest: BackupManifest;
  /** Where the data it replaced was moved (inside the data folder's backups/), or null if there was none. */
  previous: string | null;
}

/**
 * Checks a backup completely (zip, manifest, every checksum, the database's integrity and migration level) in a
 * folder beside the data, then moves the current database, preferences and attachments to
 * backups/before-restore-<time>/ and renames the backup's into place. Saved keys (keys.json) stay: they belong to
 * this machine. The store must be closed, and no other process may have the database open; a refused backup
 * changes nothing.
 */
export async function restoreBackup(file: string, dataDir: string, migrationsDir: string): Promise<BackupRestored> {
  const { manifest, staging } = await stageBackup(file, dataDir, migrationsDir, `.restore-${stamp()}`, { checkNobodyHasIt: true });
  return { manifest, previous: await swapStaged(staging, dataDir) };
}

/**
 * Checks a backup completely and unpacks it into `dataDir/<stagingName>` (same file system as the data, so the swap
 * is renames). With `checkNobodyHasIt`, also refuses when another connection has the current database open (the last
 * check, just before a swap). Any failure removes the staging folder (and the data folder, if this created it).
 */
export async function stageBackup(
  file: string,
  dataDir: string,
  migrationsDir: string,
  stagingName: string,
  options: { checkNobodyHasIt: boolean },
): Promise<{ manifest: BackupManifest; staging: string }> {
  const source = path.resolve(file);
  const zip = await readZip(source);
  const manifest = await readManifest(zip, source);
  const appLevel = appMigrationLevel(migrationsDir);
  if (manifest.migrations.latest > appLevel.latest)
    throw refused(
      source,
      `it was made by a newer Coda Agent (${manifest.appVersion}, database schema ${manifest.migrations.applied}; this one knows ${appLevel.applied}). Update Coda Agent, then restore it`,
    );

  const dataDirExisted = (await stat(dataDir).catch(() => null)) !== null;
  await makePrivateFolder(dataDir);
  const staging = path.join(dataDir, stagingName);
  try {
    await rm(staging, { recursive: true, force: true });
    await makePrivateFolder(path.join(staging, 'attachments'));
    await unpack(zip, manifest, source, staging);
    await checkDatabase(path.join(staging, DATABASE_FILE), source, appLevel.latest);
    // Last, just before the swap, so no process can open the database in between.
    if (options.checkNobodyHasIt) await assertNobodyHasTheDatabase(path.join(dataDir, DATABASE_FILE));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!dataDirExisted) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return { manifest, staging };
}

/**
 * Moves the current database, preferences and attachments to backups/before-restore-<time>/ and renames the staged
 * ones into place. Each rename is atomic; the old data is kept whole in the returned folder (null when there was none).
 */
export async function swapStaged(staging: string, dataDir: string): Promise<string | null> {
  await assertNobodyHasTheDatabase(path.join(dataDir, DATABASE_FILE));
  const previous = path.join(dataDir, 'backups', `before-restore-${stamp()}`);
  let moved = 0;
  await makePrivateFolder(previous);
  for (const name of REPLACED) {
    const from = path.join(dataDir, name);
    if ((await stat(from).catch(() => null)) === null) continue;
    await rename(from, path.join(previous, name));
    moved++;
  }
  for (const name of [DATABASE_FILE, 'preferences.json', 'attachments']) {
    const staged = path.join(staging, name);
    if ((await stat(staged).catch(() => null)) !== null) await rename(staged, path.join(dataDir, name));
  }
  await rm(staging, { recursive: true, force: true });
  if (moved === 0) await rm(previous, { recursive: true, force: true });
  return moved === 0 ? null : previous;
}

/** Reads and checks a backup without restoring it (what `restore` does first; the Settings page shows it). */
export async function inspectBackup(file: string, migrationsDir: string): Promise<BackupManifest & { newerThanApp: boolean }> {
  const source = path.resolve(file);
  const manifest = await readManifest(await readZip(source), source);
  return { ...manifest, newerThanApp: manifest.migrations.latest > appMigrationLevel(migrationsDir).latest };
}

async function readZip(source: string): Promise<JSZip> {
  const info = await stat(source).catch(() => null);
  if (!info?.isFile()) throw new CodaError('not_found', `There is no file ${source}.`);
  if (info.size > MAX_BACKUP_BYTES) throw refused(source, `it is ${(info.size / 1024 ** 3).toFixed(1)} GB; backups up to 4 GB can be restored`);
  const head = Buffer.alloc(4);
  const handle = await open(source, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!head.equals(ZIP_SIGNATURE)) throw refused(source, 'it is not a Coda Agent backup (not a zip file)');
  try {
    return await JSZip.loadAsync(await readFile(source), { checkCRC32: true });
  } catch (error) {
    throw refused(source, `it is incomplete or damaged (${error instanceof Error ? error.message : String(error)}); it may have been cut short while copied`);
  }
}

async function readManifest(zip: JSZip, source: string): Promise<BackupManifest> {
  const entry = zip.file(MANIFEST_ENTRY);
  if (!entry) throw refused(source, `it is not a Coda Agent backup (a zip without ${MANIFEST_ENTRY})`);
  let data: unknown;
  try {
    data = JSON.parse(await entry.async('string'));
  } catch {
    throw refused(source, `its ${MANIFEST_ENTRY} is not valid JSON`);
  }
  const parsed = BackupManifest.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || 'its top level' : 'the manifest';
    throw refused(source, `it is not a Coda Agent backup this version can read (${MANIFEST_ENTRY}: ${where}: ${issue?.message ?? 'invalid'})`);
  }
  const manifest = parsed.data;
  if (!manifest.files.some((f) => f.path === DATABASE_FILE)) throw refused(source, 'it holds no database');
  const listed = new Set(manifest.files.map((f) => `data/${f.path}`));
  for (const name of Object.keys(zip.files)) {
    if (name !== MANIFEST_ENTRY && !zip.files[name]?.dir && !listed.has(name)) throw refused(source, `it holds ${name}, which its manifest does not list`);
  }
  return manifest;
}

async function unpack(zip: JSZip, manifest: BackupManifest, source: string, staging: string): Promise<void> {
  for (const listed of manifest.files) {
    const entry = zip.file(`data/${listed.path}`);
    if (!entry) throw refused(source, `${listed.path} is listed in its manifest but missing`);
    const bytes = await entry.async('nodebuffer');
    if (bytes.length !== listed.bytes || sha256(bytes) !== listed.sha256)
      throw refused(source, `${listed.path} does not match its checksum in the manifest; the backup is damaged`);
    // The manifest's pattern allows only plain names under the folder, so this stays inside `staging`.
    await writeFile(path.join(staging, listed.path), bytes, { mode: 0o600, flag: 'wx' });
  }
}

async function checkDatabase(file: string, source: string, appLatest: number): Promise<void> {
  const client = createClient({ url: `file:${file}` });
  try {
    let verdict: string;
    let level: Awaited<ReturnType<typeof databaseMigrationLevel>>;
    try {
      verdict = String((await client.execute('PRAGMA integrity_check')).rows[0]?.[0] ?? '');
      level = await databaseMigrationLevel(client);
    } catch (error) {
      throw refused(source, `its database cannot be opened (${error instanceof Error ? error.message : String(error)})`);
    }
    if (verdict !== 'ok') throw refused(source, `its database fails SQLite's integrity check (${verdict})`);
    if (level.applied === 0) throw refused(source, 'its database is not a Coda Agent database');
    if (level.latest > appLatest) throw refused(source, 'its database was made by a newer Coda Agent; update Coda Agent, then restore it');
  } finally {
    client.close();
  }
}

/**
 * Another process with the database open (the app, serve mode, a command) would go on writing to the file moved
 * aside. Leaving WAL mode needs the only connection, so it fails with SQLITE_BUSY exactly then; when it succeeds
 * the write-ahead log has also been folded into the file, so the copy kept aside is one complete file.
 */
async function assertNobodyHasTheDatabase(file: string): Promise<void> {
  if ((await stat(file).catch(() => null)) === null) return;
  const client = createClient({ url: `file:${file}` });
  try {
    await client.execute('PRAGMA busy_timeout = 0');
    const mode = String((await client.execute('PRAGMA journal_mode = DELETE')).rows[0]?.[0] ?? '');
    if (mode !== 'delete') throw new Error(mode);
  } catch {
    throw new CodaError(
      'conflict',
      `The database ${file} is open in Coda Agent (the app, serve mode or another command). Quit it, then restore again; nothing was changed.`,
    );
  } finally {
    client.close();
  }
}

function refused(source: string, why: string): CodaError {
  return new CodaError('validation', `Cannot restore ${source}: ${why}. Nothing was changed.`);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
