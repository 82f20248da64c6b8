import { chmod, stat } from 'node:fs/promises';
import type { Client } from '@libsql/client';
import PQueue from 'p-queue';
import { HybridLogicalClock } from '../util/hlc.js';
import { newId } from '../util/ids.js';
import { CONNECTION_PRAGMAS, openDatabase, type Database } from './open-database.js';
import { meta } from './schema.js';
import { eq } from 'drizzle-orm';

/**
 * The local store: one libSQL file, one write path. Every write goes through `write`, which runs one unit at a
 * time so concurrent writers in this process never meet SQLITE_BUSY; busy_timeout covers other processes
 * (the CLI next to the app).
 */
export class Store {
  private readonly writes = new PQueue({ concurrency: 1 });

  private constructor(
    private readonly client: Client,
    readonly db: Database,
    readonly file: string,
    readonly backupFile: string | null,
    readonly deviceId: string,
    readonly clock: HybridLogicalClock,
  ) {}

  static async open(dataDir: string, migrationsDir: string): Promise<Store> {
    const opened = await openDatabase(dataDir, migrationsDir);
    const deviceId = await ensureDeviceId(opened.db);
    const clock = new HybridLogicalClock(deviceId.replaceAll('-', '').slice(-12));
    return new Store(opened.client, opened.db, opened.file, opened.backupFile, deviceId, clock);
  }

  /** Runs `work` as the only writer. Multi-row writes inside should use `db.batch` so they commit atomically. */
  write<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.writes.add(async () => {
      await this.ensureConnectionSettings();
      return work(this.db);
    }) as Promise<T>;
  }

  /**
   * The pool may have replaced its connection (after a failed rollback, say), and per-connection settings go with
   * it. Setting foreign_keys invalidates every prepared statement on the connection, so it is read first and set
   * only on a connection that lacks it.
   */
  private async ensureConnectionSettings(): Promise<void> {
    const current = await this.client.execute('PRAGMA foreign_keys');
    if (Number(current.rows[0]?.[0]) === 1) return;
    for (const pragma of CONNECTION_PRAGMAS) await this.client.execute(pragma);
  }

  /**
   * Writes a consistent copy of the database to `file` (which must not exist): VACUUM INTO, queued behind the
   * writes already asked for so the copy has every one of them, while the app keeps running. Returns its size.
   */
  async snapshot(file: string): Promise<number> {
    await this.writes.add(() => this.client.execute({ sql: 'VACUUM INTO ?', args: [file] }));
    await chmod(file, 0o600);
    return (await stat(file)).size;
  }

  /** Resolves when every queued write has been committed. */
  async flush(): Promise<void> {
    await this.writes.onIdle();
  }

  async close(): Promise<void> {
    await this.flush();
    this.client.close();
  }
}

async function ensureDeviceId(db: Database): Promise<string> {
  const found = await db.select().from(meta).where(eq(meta.key, 'device_id')).get();
  if (found) return found.value;
  const id = newId();
  await db.insert(meta).values({ key: 'device_id', value: id }).onConflictDoNothing();
  const stored = await db.select().from(meta).where(eq(meta.key, 'device_id')).get();
  return stored?.value ?? id;
}
