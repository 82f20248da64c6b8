import type { ChatTurn } from '../providers/types.js';
import type { PinnedTurn } from '../store/repositories/pins.js';
import type { ContextItem } from './builder.js';

/**
 * The most messages of a conversation's path read for a request: the context builder chooses among them (and the
 * pins, wherever they are on the path). Bounded so a very long chat is not read whole at every send.
 */
export const HISTORY_LIMIT = 200;

/**
 * The most messages read when the newest HISTORY_LIMIT leave the budget room (a long chat of short messages in a
 * large window): reading 1,000 costs ~11 ms against ~2–6 ms for 200 (bench/context-tokens), and their counts are
 * kept by message id, so only a chat's first send counts them all.
 */
export const HISTORY_MAX = 1_000;

/** Characters per token for deciding how far back to read (the builder counts exactly what it sends). */
const CHARS_PER_TOKEN = 4;

/**
 * How many messages to read instead, when the newest page was full (there may be older ones) and its text, at ~4
 * characters a token, fills less than the budget: enough for the rest of the budget at the page's average size,
 * with a quarter more, at most HISTORY_MAX. Null when the page is all there is to read or already fills the budget.
 */
export function furtherLimit(path: readonly PathMessage[], budget: number): number | null {
  if (path.length < HISTORY_LIMIT) return null;
  const tokens = path.reduce((n, m) => n + m.text.length, 0) / CHARS_PER_TOKEN;
  if (tokens >= budget) return null;
  const perMessage = Math.max(1, tokens / path.length);
  const limit = Math.min(HISTORY_MAX, Math.ceil(path.length + ((budget - tokens) / perMessage) * 1.25));
  return limit > path.length ? limit : null;
}

/**
 * The candidate history of a request: the newest HISTORY_LIMIT messages up to `leafId` (or `first`, a path already
 * at hand), and older ones too while the budget has room for them (see `furtherLimit`).
 */
export async function readHistory<T extends PathMessage>(
  read: (leafId: string, limit: number) => Promise<T[]>,
  leafId: string,
  budget: number,
  first?: T[],
): Promise<T[]> {
  const page = first ?? (await read(leafId, HISTORY_LIMIT));
  const limit = furtherLimit(page, budget);
  return limit === null ? page : read(leafId, limit);
}

/** A path message as the store reads it (messages.historyTurns). */
export interface PathMessage {
  id: string;
  role: 'system' | 'user' | 'assistant' | 'tool';
  status: string;
  text: string;
}

/** Whether a path message is sent: answers that failed or said nothing are left out. */
export function isSent<T extends PathMessage>(message: T): message is T & { role: 'user' | 'assistant' } {
  if (message.role === 'assistant' && (message.status === 'error' || !message.text)) return false;
  return message.role === 'user' || message.role === 'assistant';
}

/** A pinned message as a context item (pins are questions and answers: text turns). */
export function pinnedItem(pin: PinnedTurn): ContextItem & { id: string } {
  const turn: ChatTurn = pin.role === 'assistant' ? { role: 'assistant', content: pin.text } : { role: 'user', content: pin.text };
  return { id: pin.id, turn };
}
