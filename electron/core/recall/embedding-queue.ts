import { CodaError, toErrorShape, type EmbeddingProgress } from '../../../shared/index.js';
import type { AppEvents } from '../runs/app-events.js';
import type { EmbeddingsRepository } from '../store/repositories/embeddings.js';
import { EMBED_BATCH, type Embedder } from './embedder.js';

/**
 * Embeds messages in the background, a batch at a time, oldest first: new messages after they are saved, and the
 * whole history (backfill) when an embedding model is chosen. One pass runs at a time; a request during a pass
 * makes it go round once more. Progress goes out as `embedding-progress` app events.
 */
export class EmbeddingQueue {
  private pass: Promise<EmbeddingProgress> | null = null;
  private again = false;
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

  /** Something new was saved: embed it soon (never waits, never throws). */
  notify(): void {
    if (this.closing.signal.aborted || !this.deps.embedder()) return;
    void this.run().catch(() => undefined);
  }

  /** Embeds everything not yet embedded; resolves with the final progress, or rejects with the provider's error. */
  async backfill(): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) throw new CodaError('validation', 'No embedding model is set: choose one in Settings › Recall first.');
    const progress = await this.run();
    if (progress.error) throw new CodaError('provider_error', `Embedding stopped: ${progress.error}`);
    return progress;
  }

  async progress(): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) return { embedded: 0, total: 0, running: false, error: null };
    return { ...(await this.deps.embeddings.progress(embedder.key)), running: this.pass !== null, error: this.lastError };
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
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    const pass = (async () => {
      let result: EmbeddingProgress;
      do {
        this.again = false;
        result = await this.drain();
      } while (this.again && !result.error);
      return result;
    })().finally(() => {
      this.pass = null;
    });
    this.pass = pass;
    return pass;
  }

  private async drain(): Promise<EmbeddingProgress> {
    const embedder = this.deps.embedder();
    if (!embedder) return { embedded: 0, total: 0, running: false, error: null };
    const { embeddings, appEvents } = this.deps;
    let { embedded, total } = await embeddings.progress(embedder.key);
    const report = (running: boolean, error: string | null): EmbeddingProgress => {
      const progress = { embedded, total, running, error };
      appEvents.emit({ type: 'embedding-progress', progress });
      return progress;
    };
    report(true, null);
    while (!this.closing.signal.aborted) {
      const batch = await embeddings.pending(embedder.key, EMBED_BATCH);
      if (batch.length === 0) break;
      let vectors: Float32Array[];
      try {
        vectors = await embedder.embed(
          batch.map((m) => m.text),
          // A signal of its own per request: the SDK leaves its listener on the signal it is given.
          AbortSignal.any([this.closing.signal]),
        );
      } catch (error) {
        if (this.closing.signal.aborted) break;
        this.lastError = toErrorShape(error).message;
        return report(false, this.lastError);
      }
      await embeddings.save(
        embedder.key,
        batch.map((message, i) => ({ message, vector: vectors[i]! })),
      );
      embedded = Math.min(total, embedded + batch.length);
      report(true, null);
    }
    this.lastError = null;
    ({ embedded, total } = await embeddings.progress(embedder.key));
    return report(false, null);
  }
}
