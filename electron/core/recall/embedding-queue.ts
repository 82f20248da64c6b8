import { CodaError, toErrorShape, type EmbeddingProgress } from '../../../shared/index.js';
import type { AppEvents } from '../runs/app-events.js';
import type { EmbeddingsRepository, PendingMessage } from '../store/repositories/embeddings.js';
import { EMBED_BATCH, type Embedder } from './embedder.js';

/**
 * Embeds messages in the background, a batch at a time, oldest first: the whole history (backfill) when a model is
 * chosen, at start and on request, and afterwards only the messages named as saved (an answer and its question), so
 * an answer never pays for a scan of the whole history. One pass runs at a time; a request during a pass makes it go
 * round once more. Progress goes out as `embedding-progress` app events.
 */
export class EmbeddingQueue {
  private pass: Promise<EmbeddingProgress> | null = null;
  /** A full pass is asked for (it also covers every named message). */
  private fullWanted = false;
  private readonly named = new Set<string>();
  /** The model whose full pass last ended with nothing left, and its counts since (kept up to date by named passes). */
  private complete: { key: string; embedded: number; total: number } | null = null;
  private lastError: string | null = null;
  private readonly closing = new AbortController();

  constructor(
    private readonly deps: {
      embeddings: EmbeddingsRepository;
      appEvents: AppEvents;
      /** The embedder of the current settings; null without an embedding model. */
      embedder: () => Embedder | null;
    },
  ) {}

  /**
   * Embed soon (never waits, never throws): `messageIds` when these were just saved (looked up by id, never by a scan
   * of the history), else everything not embedded.
   */
  notify(messageIds?: readonly string[]): void {
    const embedder = this.deps.embedder();
    if (this.closing.signal.aborted || !embedder) return;
    if (messageIds) for (const id of messageIds) this.named.add(id);
    else this.fullWanted = true;
    void this.run().catch(() => undefined);
  }

  /** Embeds everything not yet embedded; resolves with the final progress, or rejects with the provider's error. */
  async backfill(): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) throw new CodaError('validation', 'No embedding model is set: choose one in Settings › Recall first.');
    this.fullWanted = true;
    const progress = await this.run();
    if (progress.error) throw new CodaError('provider_error', `Embedding stopped: ${progress.error}`);
    return progress;
  }

  async progress(): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) return { embedded: 0, total: 0, running: false, error: null };
    const counts = this.complete?.key === embedder.key ? this.complete : await this.deps.embeddings.progress(embedder.key);
    return { embedded: counts.embedded, total: counts.total, running: this.pass !== null, error: this.lastError };
  }

  /** Waits for the pass under way, if any (tests). */
  async idle(): Promise<void> {
    while (this.pass) await this.pass.catch(() => undefined);
  }

  /** Stops at once (the request under way is cancelled; what was saved stays) and starts no more passes. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.idle();
  }

  private run(): Promise<EmbeddingProgress> {
    if (this.pass) return this.pass.then(() => this.run());
    const pass = (async () => {
      let result: EmbeddingProgress | null = null;
      while ((this.fullWanted || this.named.size > 0) && !this.closing.signal.aborted) {
        const full = this.fullWanted;
        const ids = [...this.named];
        this.fullWanted = false;
        this.named.clear();
        result = await this.drain(full ? null : ids);
        if (result.error) break;
      }
      // Counted only when a pass before this one already did the work: counting scans the history.
      return result ?? this.progress();
    })().finally(() => {
      this.pass = null;
    });
    this.pass = pass;
    return pass;
  }

  /** Embeds what is not embedded: everything (`ids` null) or those of `ids`. */
  private async drain(ids: string[] | null): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) return { embedded: 0, total: 0, running: false, error: null };
    const { embeddings, appEvents } = this.deps;
    const known = this.complete?.key === embedder.key ? this.complete : null;
    // Counting scans the history: a pass over named messages counts only on top of a finished full pass's counts.
    let { embedded, total } = ids ? (known ?? { embedded: 0, total: 0 }) : await embeddings.progress(embedder.key);
    const report = (running: boolean, error: string | null): EmbeddingProgress => {
      const progress = { embedded, total, running, error };
      if (!ids || known) appEvents.emit({ type: 'embedding-progress', progress });
      return progress;
    };
    if (!ids) report(true, null);
    let embeddedAny = false;
    // A full pass whose count finds nothing missing does not look for it (each look, like the count, scans the history):
    // at start, with every message embedded, the pass costs one scan.
    while (!this.closing.signal.aborted && (ids !== null || embeddedAny || embedded < total)) {
      const batch: PendingMessage[] = ids ? await embeddings.pendingAmong(embedder.key, ids) : await embeddings.pending(embedder.key, EMBED_BATCH);
      if (batch.length === 0) break;
      let vectors: Float32Array[];
      try {
        // A signal of its own per request: the SDK leaves its listener on the signal it is given.
        vectors = await embedder.embed(
          batch.map((m) => m.text),
          AbortSignal.any([this.closing.signal]),
        );
      } catch (error) {
        if (this.closing.signal.aborted) break;
        this.lastError = toErrorShape(error).message;
        if (ids) for (const id of ids) this.named.delete(id);
        return report(false, this.lastError);
      }
      await embeddings.save(
        embedder.key,
        batch.map((message, i) => ({ message, vector: vectors[i]! })),
      );
      embeddedAny = true;
      // Named messages are new ones: the total grows with them.
      if (ids) total += batch.length;
      embedded = Math.min(total, embedded + batch.length);
      if (ids) break;
      report(true, null);
    }
    this.lastError = null;
    // The counts from the start stand when nothing was left to embed.
    if (!ids && (embeddedAny || embedded < total)) ({ embedded, total } = await embeddings.progress(embedder.key));
    if (!this.closing.signal.aborted && (!ids || known) && embedded >= total) this.complete = { key: embedder.key, embedded, total };
    return report(false, null);
  }
}
