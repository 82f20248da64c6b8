import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { CodaError, PendingRestore, RestoreOutcome, type BackupListing } from '../../../shared/index.js';
import { stageBackup, swapStaged } from './restore-backup.js';

/**
 * Restore from Settings. The app cannot swap its own open database (a connection closed in the same process lingers
 * until its statements are collected; docs/decisions/0028-backup-restore.md), so a restore chosen while it runs is
 * checked and unpacked now, beside the data, and swapped in at the next start, before anything opens the store.
 * What happened is kept in a small file that Settings shows after the restart.
 */
const STAGING = '.restore-pending';
const MARKER = 'restore-pending.json';
const RESULT = 'restore-result.json';
/** Names Settings may ask for: files the app wrote into backups/, never a path. */
const BACKUP_NAME = /^[\w.-]{1,200}\.zip$/;

export function backupsFolder(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

/** A backup in backups/ by its file name; anything that is not a plain name of a file there is refused. */
export async function backupFile(dataDir: string, name: string): Promise<string> {
  if (!BACKUP_NAME.test(name) || name.startsWith('.')) throw new CodaError('validation', `"${name}" is not the name of a backup file.`);
  const file = path.join(backupsFolder(dataDir), name);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CodaError('not_found', `There is no backup named ${name} in ${backupsFolder(dataDir)}.`);
  return file;
}

/** The backups in backups/, newest first. */
export async function listBackups(dataDir: string): Promise<BackupListing[]> {
  const names = await readdir(backupsFolder(dataDir)).catch(() => [] as string[]);
  const found: BackupListing[] = [];
  for (const name of names) {
    if (!BACKUP_NAME.test(name) || name.startsWith('.')) continue;
    const info = await stat(path.join(backupsFolder(dataDir), name)).catch(() => null);
    if (info?.isFile()) found.push({ name, bytes: info.size, modifiedAt: Math.round(info.mtimeMs) });
  }
  return found.sort((a, b) => b.modifiedAt - a.modifiedAt);
}

/** Checks the backup whole and unpacks it for the next start; a refused backup leaves nothing pending. */
export async function scheduleRestore(dataDir: string, migrationsDir: string, name: string): Promise<PendingRestore> {
  const file = await backupFile(dataDir, name);
  // Checked beside the one already scheduled (if any), which a refused backup leaves as it was.
  const { manifest, staging } = await stageBackup(file, dataDir, migrationsDir, `${STAGING}-next`, { checkNobodyHasIt: false });
  await cancelRestore(dataDir);
  await rename(staging, path.join(dataDir, STAGING));
  const pending: PendingRestore = { name, backupCreatedAt: manifest.createdAt, appVersion: manifest.appVersion, scheduledAt: Date.now() };
  await writeFile(path.join(dataDir, MARKER), JSON.stringify(pending), { mode: 0o600 });
  return pending;
}

export async function cancelRestore(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, MARKER), { force: true });
  await rm(path.join(dataDir, STAGING), { recursive: true, force: true });
}

export async function pendingRestore(dataDir: string): Promise<PendingRestore | null> {
  return readJson(path.join(dataDir, MARKER), PendingRestore);
}

export async function lastRestore(dataDir: string): Promise<RestoreOutcome | null> {
  return readJson(path.join(dataDir, RESULT), RestoreOutcome);
}

/**
 * Run at start, before the store opens: swaps a scheduled restore in. When another process still has the database
 * (serve mode running while a command starts), it stays scheduled for a later start; any other failure drops it and
 * is recorded, with nothing changed.
 */
export async function applyPendingRestore(dataDir: string, log: (message: string) => void = () => {}): Promise<RestoreOutcome | null> {
  const pending = await pendingRestore(dataDir);
  if (!pending) return null;
  const staging = path.join(dataDir, STAGING);
  let outcome: RestoreOutcome;
  try {
    if ((await stat(staging).catch(() => null)) === null) throw new Error('its checked copy is missing from the data folder');
    const previous = await swapStaged(staging, dataDir);
    outcome = { outcome: 'restored', ...pending, restoredAt: Date.now(), previous };
  } catch (error) {
    if (error instanceof CodaError && error.code === 'conflict') {
      log(`The restore of ${pending.name} waits for the next start: ${error.message}`);
      return null;
    }
    outcome = { outcome: 'failed', ...pending, failedAt: Date.now(), reason: error instanceof Error ? error.message : String(error) };
    await rm(staging, { recursive: true, force: true });
  }
  await writeFile(path.join(dataDir, RESULT), JSON.stringify(outcome), { mode: 0o600 });
  await rm(path.join(dataDir, MARKER), { force: true });
  log(outcome.outcome === 'restored' ? `Restored the backup ${pending.name}.` : `The restore of ${pending.name} failed: ${outcome.reason}`);
  return outcome;
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
