import { and, count, desc, eq, gte, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import { CodaError, type Session, type SessionSettings } from '../../../../shared/index.js';
import { hlcWallTime } from '../../util/hlc.js';
import { newId } from '../../util/ids.js';
import { attachments, messages, sessions, toolCalls } from '../schema.js';
import type { Store } from '../store.js';

type SessionRow = typeof sessions.$inferSelect;

export interface SessionPage {
  items: Session[];
  nextCursor: string | null;
}

export interface SessionFilter {
  pinned?: boolean;
  query?: string;
}

/** Titles containing `query`, ignoring case; instr() rather than LIKE, so % and _ in a query are plain characters. */
function titleContains(query: string | undefined) {
  return query ? sql`instr(lower(${sessions.title}), lower(${query})) > 0` : undefined;
}

/** Fewer characters than this match too much to be meant (git asks for 4 as well). */
const MIN_ID_PREFIX = 4;
/** How many of several matching sessions an ambiguous prefix names. */
const MATCHES_SHOWN = 5;

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
      pinnedAt: null,
      createdAt: now,
      updatedAt: this.store.clock.now(),
      deletedAt: null,
    };
    await this.store.write((db) => db.insert(sessions).values(row));
    return toSession(row);
  }

  /**
   * Live sessions, most recent activity first, by keyset pages so deep pages cost the same as the first; `pinned`
   * keeps only pinned (or only unpinned) ones, `query` those whose title contains it.
   */
  async list(cursor: string | null, limit: number, filter: SessionFilter = {}): Promise<SessionPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.store.db
      .select()
      .from(sessions)
      .where(
        and(
          isNull(sessions.deletedAt),
          filter.pinned === undefined ? undefined : filter.pinned ? isNotNull(sessions.pinnedAt) : isNull(sessions.pinnedAt),
          titleContains(filter.query),
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

  /** Pinned live sessions, most recently pinned first: few enough for one list (the sidebar's top group). */
  async listPinned(query?: string): Promise<SessionPage> {
    const rows = await this.store.db
      .select()
      .from(sessions)
      .where(and(isNotNull(sessions.pinnedAt), isNull(sessions.deletedAt), titleContains(query)))
      .orderBy(desc(sessions.pinnedAt), desc(sessions.id))
      .all();
    return { items: rows.map(toSession), nextCursor: null };
  }

  /** Deleted sessions, most recently deleted first, by keyset pages like `list`. */
  async listTrash(cursor: string | null, limit: number, query?: string): Promise<SessionPage> {
    const after = cursor ? decodeCursor(cursor) : null;
    const rows = await this.store.db
      .select()
      .from(sessions)
      .where(
        and(isNotNull(sessions.deletedAt), titleContains(query), after ? sql`(${sessions.deletedAt}, ${sessions.id}) < (${after.at}, ${after.id})` : undefined),
      )
      .orderBy(desc(sessions.deletedAt), desc(sessions.id))
      .limit(limit + 1)
      .all();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toSession),
      nextCursor: rows.length > limit && last?.deletedAt != null ? encodeCursor(last.deletedAt, last.id) : null,
    };
  }

  /**
   * The session whose id starts with `prefix`, live or (with `inTrash`) deleted. Ids are lowercase UUIDs, so the
   * prefix is a range on the primary key. None is not_found (saying so when it is in the trash instead); several
   * are a conflict naming a few, most recent first.
   */
  async resolve(prefix: string, inTrash: boolean): Promise<Session> {
    const wanted = prefix.trim().toLowerCase();
    const where = inTrash ? ' in the trash' : '';
    if (!/^[0-9a-f-]+$/.test(wanted)) throw new CodaError('not_found', `No chat with id ${prefix}${where}.`);
    if (wanted.length < MIN_ID_PREFIX) throw new CodaError('validation', `Give at least ${MIN_ID_PREFIX} characters of the id (got "${prefix}").`);
    const matching = (deleted: boolean, limit: number) =>
      this.store.db
        .select()
        .from(sessions)
        // '~' sorts after every character an id has, so this is "starts with" through the primary key's index.
        .where(and(gte(sessions.id, wanted), lt(sessions.id, `${wanted}~`), deleted ? isNotNull(sessions.deletedAt) : isNull(sessions.deletedAt)))
        .orderBy(desc(sessions.lastActivityAt))
        .limit(limit)
        .all();
    const rows = await matching(inTrash, MATCHES_SHOWN + 1);
    const [only] = rows;
    if (only && rows.length === 1) return toSession(only);
    if (rows.length > 1) {
      const shown = rows.slice(0, MATCHES_SHOWN).map((r) => ({ id: r.id, title: r.title }));
      const more = rows.length > MATCHES_SHOWN ? '\n  …and more' : '';
      throw new CodaError(
        'conflict',
        `The id ${prefix} matches several chats${where}; give more of it:\n${shown.map((m) => `  ${m.id}  ${m.title}`).join('\n')}${more}`,
        { matches: shown },
      );
    }
    const elsewhere = await matching(!inTrash, 1);
    const hint = elsewhere.length === 0 ? '' : inTrash ? ' (it is not deleted)' : ' (it is in the trash: restore it first)';
    throw new CodaError('not_found', `No chat with id ${prefix}${where}${hint}.`);
  }

  /**
   * Removes a session for good, but only one that holds nothing worth keeping: no answer that is not an error, no
   * tool call (it may have acted), no file. Returns the session as it was, marked deleted, for the app event.
   */
  async discardUnanswered(id: string): Promise<Session> {
    const removed = await this.store.write(async (db) => {
      const row = await db.select().from(sessions).where(eq(sessions.id, id)).get();
      if (!row) return undefined;
      const [answers, calls, files] = await Promise.all([
        db
          .select({ n: count() })
          .from(messages)
          .where(and(eq(messages.sessionId, id), eq(messages.role, 'assistant'), ne(messages.status, 'error')))
          .get(),
        db.select({ n: count() }).from(toolCalls).innerJoin(messages, eq(toolCalls.messageId, messages.id)).where(eq(messages.sessionId, id)).get(),
        db.select({ n: count() }).from(attachments).where(eq(attachments.sessionId, id)).get(),
      ]);
      if ((answers?.n ?? 0) + (calls?.n ?? 0) + (files?.n ?? 0) > 0) {
        throw new CodaError('conflict', `The chat ${id} holds answers, tool calls or files, so it is not discarded; delete it instead (it goes to the trash).`);
      }
      // Its messages go with it (foreign keys cascade; the search index follows by trigger).
      await db.delete(sessions).where(eq(sessions.id, id));
      return row;
    });
    if (!removed) throw new CodaError('not_found', `No chat with id ${id}.`);
    return { ...toSession(removed), deletedAt: Date.now() };
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
      const current = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.id, id), isNull(sessions.deletedAt)))
        .get();
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

  async pin(id: string, pinned: boolean): Promise<Session> {
    return this.update(id, { pinnedAt: pinned ? Date.now() : null });
  }

  /** Deletes a session in the trash for good; its messages, steps, tool calls and files go with it (foreign keys cascade). */
  async purge(id: string): Promise<void> {
    const removed = await this.store.write((db) =>
      db
        .delete(sessions)
        .where(and(eq(sessions.id, id), isNotNull(sessions.deletedAt)))
        .returning({ id: sessions.id })
        .get(),
    );
    if (removed) return;
    const live = await this.find(id);
    throw live
      ? new CodaError('conflict', `The chat ${id} is not in the trash; delete it first.`)
      : new CodaError('not_found', `No chat with id ${id} in the trash.`);
  }

  /** Deletes every session in the trash for good, in one transaction; returns how many. */
  async emptyTrash(): Promise<number> {
    const removed = await this.store.write((db) => db.delete(sessions).where(isNotNull(sessions.deletedAt)).returning({ id: sessions.id }).all());
    return removed.length;
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
    settings: {
      fallbacks: [],
      maxSteps: 10,
      topP: null,
      maxOutputTokens: null,
      thinking: null,
      ...(row.settings as Partial<SessionSettings>),
    } as SessionSettings,
    contextSummary: row.contextSummary,
    activeLeafId: row.activeLeafId,
    messageCount: row.messageCount,
    pinnedAt: row.pinnedAt,
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
