import type { Recall, Recalled } from '../recall/recall.js';
import type { PinsRepository } from '../store/repositories/pins.js';
import type { ContextItem, SummarySlot } from './builder.js';
import { pinnedItem } from './history.js';

/** Where a request's extras come from: the pins, and where the app has them, summaries and recall. */
export interface RequestExtrasDeps {
  pins: PinsRepository;
  summaries?: { slot(sessionId: string, leafId: string, path: readonly { id: string }[]): Promise<SummarySlot | null> } | undefined;
  recall?: Recall | undefined;
}

/** What recall is asked with: the question, the conversation's own messages (never offered) and the chat's size. */
export interface RecallAsk {
  text: string;
  exclude: readonly string[];
  sessionMessages: number;
  signal?: AbortSignal;
}

export interface RequestExtras {
  /** The pinned messages on the path, oldest first: always sent. */
  pinned: (ContextItem & { id: string })[];
  /** The summary in effect on the path (null: none, or it could not be read: the request goes without it). */
  summary: SummarySlot | null;
  /** What recall offers; null when it was not asked. */
  recalled: Recalled | null;
}

export const NO_EXTRAS: RequestExtras = { pinned: [], summary: null, recalled: null };

/**
 * What a request sends besides its history, for the path ending at `leafId` (`path`: its messages already read).
 * A send and the preview (`context show`, the gauge) both read them here, so the preview shows what a send does;
 * the three reads go together, as recall may wait for an embedding.
 */
export async function requestExtras(
  deps: RequestExtrasDeps,
  sessionId: string,
  leafId: string,
  path: readonly { id: string }[],
  ask: RecallAsk | null,
): Promise<RequestExtras> {
  const [pins, summary, recalled] = await Promise.all([
    deps.pins.onPath(sessionId, leafId, new Set(path.map((m) => m.id))),
    deps.summaries ? deps.summaries.slot(sessionId, leafId, path).catch(() => null) : null,
    ask && deps.recall ? deps.recall.forAnswer(sessionId, ask.text, ask.exclude, { signal: ask.signal, sessionMessages: ask.sessionMessages }) : null,
  ]);
  return { pinned: pins.map(pinnedItem), summary, recalled };
}
