import { eq, like } from 'drizzle-orm';
import { meta } from '../schema.js';
import type { Store } from '../store.js';

/** Kept tool lists live in the device's own `meta` table (never synced): one row per server, `tool-list:<id>`. */
const PREFIX = 'tool-list:';

/** The last tool list each user's server gave, as text (kept-tool-lists.ts owns what it holds). */
export class ToolListsRepository {
  constructor(private readonly store: Store) {}

  async all(): Promise<Map<string, string>> {
    const rows = await this.store.db
      .select()
      .from(meta)
      .where(like(meta.key, `${PREFIX}%`))
      .all();
    return new Map(rows.map((row) => [row.key.slice(PREFIX.length), row.value]));
  }

  save(serverId: string, value: string): Promise<void> {
    const key = PREFIX + serverId;
    return this.store.write(async (db) => {
      await db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
    });
  }

  remove(serverId: string): Promise<void> {
    return this.store.write(async (db) => {
      await db.delete(meta).where(eq(meta.key, PREFIX + serverId));
    });
  }
}
