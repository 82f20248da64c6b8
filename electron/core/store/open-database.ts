import { constants as fsConstants } from 'node:fs';
import { access, chmod, copyFile, mkdir, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
// The local-file client only: the package's main entry also loads its HTTP and WebSocket clients, which cost start-up time.
import { createClient, type Client } from '@libsql/client/sqlite3';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle } from 'drizzle-orm/libsql/sqlite3';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { CodaError } from '../../../shared/index.js';
import * as schema from './schema.js';

export type Database = LibSQLDatabase<typeof schema>;

export const DATABASE_FILE = 'coda.db';
const SQLITE_HEADER = 'SQLite format 3\0';
const BACKUPS_KEPT = 3;
/** Settings SQLite keeps per connection: applied on open and again before every write (see docs/decisions/0003-store.md). */
export const CONNECTION_PRAGMAS = ['PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 5000'] as const;

export interface OpenedDatabase {
  client: Client;
  db: Database;
  file: string;
  /** Backup taken before migrations ran this start, if any were pending. */
  backupFile: string | null;
}

/**
 * Opens (creating if needed) the database in `dataDir`, refusing with a clear message when the folder cannot be
 * written or the file is not a database. Pending migrations run after the file is copied to a backup.
 */
export async function openDatabase(dataDir: string, migrationsDir: string): Promise<OpenedDatabase> {
  await ensureWritableFolder(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  const existed = await assertIsDatabaseOrAbsent(file, dataDir);
  // Only this user may read it, whatever the umask; SQLite gives its -wal and -shm files the same permissions.
  if (!existed) await createPrivateFile(file);

  let client: Client;
  try {
    client = createClient({ url: `file:${file}`, concurrency: 1 });
    await client.execute('PRAGMA journal_mode = WAL');
    for (const pragma of CONNECTION_PRAGMAS) await client.execute(pragma);
    await client.execute('PRAGMA synchronous = NORMAL');
    await client.execute('SELECT count(*) FROM sqlite_master');
  } catch (error) {
    throw await corruptDatabaseError(file, dataDir, error);
  }

  const db = drizzle(client, { schema });
  let backupFile: string | null = null;
  try {
    if (existed && (await hasPendingMigrations(client, migrationsDir))) {
      backupFile = await backupBeforeMigration(client, file, dataDir);
    }
    await migrate(db, { migrationsFolder: migrationsDir });
    for (const pragma of CONNECTION_PRAGMAS) await client.execute(pragma);
  } catch (error) {
    client.close();
    if (error instanceof CodaError) throw error;
    const restoreHint = backupFile ? ` The database was left as it was before; a copy is at ${backupFile}.` : '';
    throw new CodaError('storage', `Could not update the database ${file}: ${describe(error)}.${restoreHint}`);
  }
  return { client, db, file, backupFile };
}

async function ensureWritableFolder(dataDir: string): Promise<void> {
  try {
    await makePrivateFolder(dataDir);
    await access(dataDir, fsConstants.W_OK | fsConstants.R_OK);
    const probe = path.join(dataDir, `.write-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new CodaError(
      'storage',
      `The data folder ${dataDir} cannot be written (${describe(error)}). Choose another folder with --data-dir or CODA_DATA_DIR, or fix its permissions.`,
      { dataDir },
    );
  }
}

/**
 * Creates a folder and any missing parents, one level at a time, each readable by this user only (0700, whatever
 * the umask). Not `mkdir({ recursive: true })`: on a path that cannot exist (under /proc, say) Node's recursive
 * mkdir retries forever at full CPU. Here each level either is created or fails, so a bad path fails at once.
 */
export async function makePrivateFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (info) {
      if (!info.isDirectory()) throw new Error(`${current} is a file, not a folder`);
      break;
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) {
    const made = await mkdir(level, { mode: 0o700 }).then(
      () => true,
      // Made meanwhile by another Coda process (the CLI next to the app): then it is that one's to set up.
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (made) await chmod(level, 0o700);
  }
}

/** An empty file only this user may read or write (0600, whatever the umask). */
async function createPrivateFile(file: string): Promise<void> {
  await writeFile(file, '', { flag: 'wx', mode: 0o600 });
  await chmod(file, 0o600);
}

/** Returns whether the file exists; throws if it exists but is not an SQLite database, without touching it. */
async function assertIsDatabaseOrAbsent(file: string, dataDir: string): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return false;
  }
  if (size === 0) return true;
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(16);
    await handle.read(header, 0, 16, 0);
    if (header.toString('latin1') !== SQLITE_HEADER) throw await corruptDatabaseError(file, dataDir, new Error('not an SQLite file'));
  } finally {
    await handle.close();
  }
  return true;
}

async function corruptDatabaseError(file: string, dataDir: string, cause: unknown): Promise<CodaError> {
  const backup = await latestBackup(dataDir);
  const backupText = backup ? `The most recent backup is ${backup}: to go back to it, quit, then copy it over ${file}.` : 'No backup of it exists yet.';
  return new CodaError(
    'storage',
    `The database ${file} cannot be opened (${describe(cause)}); it may be damaged. Coda Agent did not start and has not changed the file. ${backupText}`,
    { file, backup },
  );
}

async function hasPendingMigrations(client: Client, migrationsDir: string): Promise<boolean> {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
  const latest = migrations.at(-1)?.folderMillis ?? 0;
  const table = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'");
  if (table.rows.length === 0) return migrations.length > 0;
  const applied = await client.execute('SELECT max(created_at) AS latest FROM __drizzle_migrations');
  return Number(applied.rows[0]?.['latest'] ?? 0) < latest;
}

/** Copies the database (WAL checkpointed first, so the single file is complete) before migrations change it. */
async function backupBeforeMigration(client: Client, file: string, dataDir: string): Promise<string> {
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const backupDir = path.join(dataDir, 'backups');
  await makePrivateFolder(backupDir);
  const target = path.join(backupDir, `${DATABASE_FILE}.${new Date().toISOString().replace(/[:.]/g, '-')}.before-migration`);
  await copyFile(file, target);
  const backups = (await listBackups(dataDir)).slice(0, -BACKUPS_KEPT);
  await Promise.all(backups.map((name) => rm(path.join(backupDir, name), { force: true })));
  return target;
}

async function listBackups(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(path.join(dataDir, 'backups'))).filter((name) => name.startsWith(`${DATABASE_FILE}.`)).sort();
  } catch {
    return [];
  }
}

async function latestBackup(dataDir: string): Promise<string | null> {
  const newest = (await listBackups(dataDir)).at(-1);
  return newest ? path.join(dataDir, 'backups', newest) : null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
