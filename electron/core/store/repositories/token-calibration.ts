import { eq } from 'drizzle-orm';
import { meta } from '../schema.js';
import type { Store } from '../store.js';

/** The device's token-count corrections (context/calibration.ts owns what the JSON holds), one `meta` row. */
const KEY = 'token-calibration';

export class TokenCalibrationRepository {
  constructor(private readonly store: Store) {}

  async load(): Promise<string | null> {
    const row = await this.store.db.select().from(meta).where(eq(meta.key, KEY)).get();
    return row?.value ?? null;
  }

  save(value: string): Promise<void> {
    return this.store.write(async (db) => {
      await db.insert(meta).values({ key: KEY, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
    });
  }
}
