import { and, asc, eq, gte, isNull, lt } from 'drizzle-orm';
import { CodaError, type Feedback, type FeedbackChange, type Message } from '../../../../shared/index.js';
import { messages } from '../schema.js';
import type { Store } from '../store.js';
import { feedbackOf, toMessage } from './messages.js';

/** As for chats (sessions.resolve): the shortest id start accepted, and how many matches an ambiguous one lists. */
const MIN_ID_PREFIX = 4;
const MATCHES_SHOWN = 5;

const NO_FEEDBACK: Omit<Feedback, 'at'> = { rating: null, categories: [], completeness: null, comment: '' };

/** The user's feedback on answers (the `feedback` column of messages), and finding an answer by the start of its id. */
export class FeedbackRepository {
  constructor(private readonly store: Store) {}

  /** Applies a change to an answer's feedback: what the change leaves out stays as it was. */
  async set(messageId: string, change: FeedbackChange): Promise<Message> {
    return this.store.write(async (db) => {
      const row = await db
        .select()
        .from(messages)
        .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
        .get();
      if (!row) throw new CodaError('not_found', `No message with id ${messageId}.`);
      if (row.role !== 'assistant') throw new CodaError('validation', `Feedback is for answers; message ${messageId} is a ${row.role} message.`);
      if (row.status === 'streaming') throw new CodaError('conflict', 'This answer is still streaming; give feedback once it has ended.');
      const feedback: Feedback = { ...(feedbackOf(row.feedback) ?? NO_FEEDBACK), ...change, at: Date.now() };
      const updated = await db.update(messages).set({ feedback, updatedAt: this.store.clock.now() }).where(eq(messages.id, messageId)).returning().get();
      if (!updated) throw new CodaError('not_found', `No message with id ${messageId}.`);
      return toMessage(updated);
    });
  }

  /** The answer whose id starts with `prefix`, as git resolves short hashes; several matches are a conflict listing them. */
  async resolveAnswer(prefix: string): Promise<Message> {
    const wanted = prefix.trim().toLowerCase();
    if (!/^[0-9a-f-]+$/.test(wanted)) throw new CodaError('not_found', `No answer with id ${prefix}.`);
    if (wanted.length < MIN_ID_PREFIX) throw new CodaError('validation', `Give at least ${MIN_ID_PREFIX} characters of the id (got "${prefix}").`);
    const rows = await this.store.db
      .select()
      .from(messages)
      // '~' sorts after every character an id has, so this is "starts with" through the primary key's index.
      .where(and(gte(messages.id, wanted), lt(messages.id, `${wanted}~`), eq(messages.role, 'assistant'), isNull(messages.deletedAt)))
      .orderBy(asc(messages.id))
      .limit(MATCHES_SHOWN + 1)
      .all();
    const [only] = rows;
    if (only && rows.length === 1) return toMessage(only);
    if (rows.length === 0) throw new CodaError('not_found', `No answer with id ${prefix}.`);
    const shown = rows.slice(0, MATCHES_SHOWN).map((r) => ({ id: r.id, text: r.text.replace(/\s+/g, ' ').slice(0, 60) }));
    const more = rows.length > MATCHES_SHOWN ? '\n  …and more' : '';
    throw new CodaError(
      'conflict',
      `The id ${prefix} matches several answers; give more of it:\n${shown.map((m) => `  ${m.id}  ${m.text}`).join('\n')}${more}`,
      { matches: shown },
    );
  }
}
