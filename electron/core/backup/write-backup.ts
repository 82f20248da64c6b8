import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createClient } from '@libsql/client/sqlite3';
import JSZip from 'jszip';
import { CodaError } from '../../../shared/index.js';
import { DATABASE_FILE } from '../store/open-database.js';
import type { Store } from '../store/store.js';
import { APP_VERSION } from '../version.js';
import { BACKUP_FORMAT, MANIFEST_ENTRY, NOT_IN_A_BACKUP, databaseMigrationLevel, sha256OfFile, type BackupFile, type BackupManifest } from './manifest.js';

export interface BackupWritten {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/**
 * Packs the data folder into one zip at `out`: a consistent snapshot of the database taken through the store's
 * write path (the app keeps running), the preferences and the attachments, and a manifest with a SHA-256 of each.
 * Written beside `out` and renamed onto it, so a failed backup never leaves half a file under that name.
 */
export async function writeBackup(store: Store, dataDir: string, out: string, onProgress?: (step: string) => void): Promise<BackupWritten> {
  const target = path.resolve(out);
  const outDir = path.dirname(target);
  const outInfo = await stat(outDir).catch(() => null);
  if (!outInfo?.isDirectory()) throw new CodaError('validation', `Cannot write the backup to ${target}: the folder ${outDir} does not exist.`);
  if (await stat(target).catch(() => null)) throw new CodaError('validation', `${target} already exists; choose another name for the backup.`);
  const scratch = await mkdtemp(path.join(dataDir, '.backup-'));
  const partial = `${target}.${process.pid}.partial`;
  try {
    onProgress?.('Copying the database');
    const snapshot = path.join(scratch, DATABASE_FILE);
    await store.snapshot(snapshot);
    const migrations = await levelOf(snapshot);

    onProgress?.('Checking the files');
    const sources = new Map<string, string>([[DATABASE_FILE, snapshot]]);
    const preferences = path.join(dataDir, 'preferences.json');
    if (await isFile(preferences)) sources.set('preferences.json', preferences);
    for (const name of await listFolder(path.join(dataDir, 'attachments'))) sources.set(`attachments/${name}`, path.join(dataDir, 'attachments', name));
    const files: BackupFile[] = [];
    for (const [entry, source] of sources) files.push({ path: entry, bytes: (await stat(source)).size, sha256: await sha256OfFile(source) });

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      appVersion: APP_VERSION,
      createdAt: new Date().toISOString(),
      migrations,
      files,
      notIncluded: [...NOT_IN_A_BACKUP],
    };
    const zip = new JSZip();
    zip.file(MANIFEST_ENTRY, `${JSON.stringify(manifest, undefined, 2)}\n`);
    for (const [entry, source] of sources) {
      // Attachments are mostly compressed already (images, PDFs); the database and preferences shrink several-fold.
      zip.file(`data/${entry}`, createReadStream(source), { compression: entry.startsWith('attachments/') ? 'STORE' : 'DEFLATE' });
    }
    onProgress?.('Writing the backup');
    await pipeline(
      zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compressionOptions: { level: 6 } }),
      createWriteStream(partial, { mode: 0o600, flags: 'wx' }),
    );
    await rename(partial, target);
    return { file: target, bytes: (await stat(target)).size, manifest };
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof CodaError) throw error;
    throw new CodaError('storage', `Could not write the backup to ${target}: ${error instanceof Error ? error.message : String(error)}.`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function levelOf(databaseFile: string): Promise<BackupManifest['migrations']> {
  const client = createClient({ url: `file:${databaseFile}` });
  try {
    return await databaseMigrationLevel(client);
  } finally {
    client.close();
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
