import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Client } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { z } from 'zod';

/** The zip entry that says what a backup is; first in the file. */
export const MANIFEST_ENTRY = 'manifest.json';
export const BACKUP_FORMAT = 'coda-agent-backup';

/**
 * What of the data folder a backup holds, as paths inside the folder (and, under `data/`, inside the zip).
 * Everything else stays out on purpose: keys.json (provider and tool keys encrypted by this machine's keychain,
 * unreadable elsewhere and not to be exported in clear), backups/ (copies of copies), openapi-cache/ (fetched again).
 */
const DATA_PATH = /^(coda\.db|preferences\.json|attachments\/[0-9a-f]{16,128})$/;
export const NOT_IN_A_BACKUP = ['saved provider and tool-server keys (keys.json)', 'earlier backups (backups/)', 'cached OpenAPI documents'] as const;

/** How far the database's schema has come: the number of migrations applied and the newest one's timestamp. */
export const MigrationLevel = z.object({ applied: z.number().int().nonnegative(), latest: z.number().int().nonnegative() }).strict();
export type MigrationLevel = z.infer<typeof MigrationLevel>;

export const BackupFile = z
  .object({
    path: z.string().regex(DATA_PATH, 'not a file a backup may hold'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type BackupFile = z.infer<typeof BackupFile>;

export const BackupManifest = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    formatVersion: z.literal(1),
    appVersion: z.string(),
    createdAt: z.string().datetime(),
    migrations: MigrationLevel,
    files: z.array(BackupFile).max(1_000_000),
    notIncluded: z.array(z.string()),
  })
  .strict();
export type BackupManifest = z.infer<typeof BackupManifest>;

/** The level this app's shipped migrations bring a database to. */
export function appMigrationLevel(migrationsDir: string): MigrationLevel {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
  return { applied: migrations.length, latest: migrations.at(-1)?.folderMillis ?? 0 };
}

/** The level a database is at, read from drizzle's own table (none: a database no migration has touched). */
export async function databaseMigrationLevel(client: Client): Promise<MigrationLevel> {
  const table = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'");
  if (table.rows.length === 0) return { applied: 0, latest: 0 };
  const row = (await client.execute('SELECT count(*) AS applied, coalesce(max(created_at), 0) AS latest FROM __drizzle_migrations')).rows[0];
  return { applied: Number(row?.['applied'] ?? 0), latest: Number(row?.['latest'] ?? 0) };
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
