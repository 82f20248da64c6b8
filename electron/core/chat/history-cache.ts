import type { Message, MessageStatus } from '../../../shared/index.js';

/** One message of a conversation path as history is built from it (the store's `historyTurns` rows). */
export interface PathTurn {
  id: string;
  role: Message['role'];
  status: MessageStatus;
  text: string;
}

/**
 * The conversation path up to each recent finished answer, kept for the next question asked under it: reading a
 * long path back (200 messages of a few kB) costs over a millisecond of the time to first token. An entry never
 * goes stale: once its answer completed, every message on its path is final (a retry or an edit makes a new branch,
 * with new ids), so a hit gives exactly what the store would.
 */
export class HistoryCache {
  private readonly entries = new Map<string, PathTurn[]>();

  constructor(
    /** The most messages of a path history holds (the store's query limit). */
    private readonly limit: number,
    private readonly capacity = 32,
  ) {}

  /** The path through `parentId` and then `next`, as the store would read it; undefined when it is not known here. */
  pathThrough(parentId: string | null, next: PathTurn): PathTurn[] | undefined {
    if (parentId === null) return [next];
    const before = this.entries.get(parentId);
    if (!before) return undefined;
    // Most recently used last, so the oldest conversation is the one forgotten.
    this.entries.delete(parentId);
    this.entries.set(parentId, before);
    return [...before, next].slice(-this.limit);
  }

  /** Keeps the path ending at a completed answer. */
  remember(answerId: string, path: PathTurn[]): void {
    this.entries.delete(answerId);
    this.entries.set(answerId, path.slice(-this.limit));
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }
}
