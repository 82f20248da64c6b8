import type { SpansRepository } from '../store/repositories/spans.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes spans older than the user's retention: once as core opens, then daily while it runs. */
export class TraceRetention {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Immediate | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly spans: SpansRepository,
    private readonly retentionDays: () => number,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Spans that started more than the retention ago, deleted now; returns how many. */
  prune(now = Date.now()): Promise<number> {
    return this.spans.pruneBefore(now - this.retentionDays() * DAY_MS);
  }

  /** Prunes in the background (nothing waits for it) and every day after; the timer never keeps the process alive. */
  start(): void {
    const run = () => {
      this.running = this.prune().then(
        () => undefined,
        (error: unknown) => this.log(`Pruning old timings failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    };
    this.first = setImmediate(run);
    this.timer = setInterval(run, DAY_MS);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a prune under way, so the store can close after it. */
  async stop(): Promise<void> {
    if (this.first) clearImmediate(this.first);
    if (this.timer) clearInterval(this.timer);
    this.first = null;
    this.timer = null;
    await this.running;
  }
}
