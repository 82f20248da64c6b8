import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { CodaError, type Session, type SessionSettings } from '../../../../shared/index.js';
import { hlcWallTime } from '../../util/hlc.js';
import { newId } from '../../util/ids.js';
import { sessions } from '../schema.js';
import type { Store } from '../store.js';

type SessionRow = typeof sessions.$inferSelect;

export interface SessionPage {
  items: Session[];
  nextCursor: string | null;
}

export class SessionsRepository {
  constructor(private readonly store: Store) {}

  async create(input: { title: string; titleSource: Session['titleSource']; settings: SessionSettings }): Promise<Session> {
    const now = Date.now();
    const row: SessionRow = {
      id: newId(),
      title: input.title,
      titleSource: input.titleSource,
      settings: input.settings,
      contextSummary: null,
      activeLeafId: null,
      messageCount: 0,
      lastActivityAt: now,
      createdAt: now,
      updatedAt: this.store.clock.now(),
      deletedAt: null,
    };
    await this.store.write((db) => db.insert(sessions).values(row));
    return toSession(row);
  }

  /** Live sessions, most recent activity first, by keyset pages so deep pages cost the same as the first. */
  async list(cursor: string | null, limit: number): Promise<SessionPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.store.db
      .select()
      .from(sessions)
      .where(
        and(
          isNull(sessions.deletedAt),
          // A row-value comparison lets SQLite seek straight to the cursor in the index instead of walking to it.
          after ? sql`(${sessions.lastActivityAt}, ${sessions.id}) < (${after.at}, ${after.id})` : undefined,
        ),
      )
      .orderBy(desc(sessions.lastActivityAt), desc(sessions.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toSession),
      nextCursor: rows.length > limit && last ? encodeCursor(last.lastActivityAt, last.id) : null,
    };
  }

  async find(id: string): Promise<Session | null> {
    const row = await this.store.db.select().from(sessions).where(eq(sessions.id, id)).get();
    return row ? toSession(row) : null;
  }

  /** A live session, or a not_found error naming it. */
  async require(id: string): Promise<Session> {
    const session = await this.find(id);
    if (!session || session.deletedAt !== null) throw new CodaError('not_found', `No session with id ${id}.`);
    return session;
  }

  async rename(id: string, title: string, source: Session['titleSource']): Promise<Session> {
    return this.update(id, { title, titleSource: source });
  }

  /**
   * Merges a change into the session's settings. The read and the write happen in one write unit, so two changes
   * made at once (a prompt edit and a model switch) both survive instead of the later one undoing the earlier.
   */
  async updateSettings(id: string, change: Partial<SessionSettings>): Promise<Session> {
    const row = await this.store.write(async (db) => {
      const current = await db.select().from(sessions).where(and(eq(sessions.id, id), isNull(sessions.deletedAt))).get();
      if (!current) return undefined;
      const settings = { ...toSession(current).settings, ...change };
      return db.update(sessions).set({ settings, updatedAt: this.store.clock.now() }).where(eq(sessions.id, id)).returning().get();
    });
    if (!row) throw new CodaError('not_found', `No session with id ${id}.`);
    return toSession(row);
  }

  async softDelete(id: string): Promise<Session> {
    await this.require(id);
    return this.update(id, { deletedAt: Date.now() }, true);
  }

  async restore(id: string): Promise<Session> {
    const session = await this.find(id);
    if (!session) throw new CodaError('not_found', `No session with id ${id}.`);
    return this.update(id, { deletedAt: null }, true);
  }

  private async update(id: string, changes: Partial<SessionRow>, includeDeleted = false): Promise<Session> {
    const row = await this.store.write((db) =>
      db
        .update(sessions)
        .set({ ...changes, updatedAt: this.store.clock.now() })
        .where(includeDeleted ? eq(sessions.id, id) : and(eq(sessions.id, id), isNull(sessions.deletedAt)))
        .returning()
        .get(),
    );
    if (!row) throw new CodaError('not_found', `No session with id ${id}.`);
    return toSession(row);
  }
}

/** The statement that records a new leaf on a session; batched with the message inserts that create it. */
export function advanceLeafStatement(store: Store, sessionId: string, leafId: string, addedMessages: number) {
  return store.db
    .update(sessions)
    .set({
      activeLeafId: leafId,
      messageCount: sql`${sessions.messageCount} + ${addedMessages}`,
      lastActivityAt: Date.now(),
      updatedAt: store.clock.now(),
    })
    .where(eq(sessions.id, sessionId));
}

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    title: row.title,
    titleSource: row.titleSource,
    // Rows written before a setting existed get its default.
    settings: { fallbacks: [], maxSteps: 10, ...(row.settings as Partial<SessionSettings>) } as SessionSettings,
    contextSummary: row.contextSummary,
    activeLeafId: row.activeLeafId,
    messageCount: row.messageCount,
    createdAt: row.createdAt,
    updatedAt: Math.max(row.lastActivityAt, hlcWallTime(row.updatedAt)),
    deletedAt: row.deletedAt,
  };
}

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!at || !id || !Number.isFinite(Number(at))) throw new CodaError('validation', 'The page cursor is not valid.');
  return { at: Number(at), id };
}
