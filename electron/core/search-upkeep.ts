import { refreshTopLists } from './store/repositories/search-top-lists.js';
import type { Store } from './store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Started a little after open, so it does not compete with the first screen or the first answer. */
const FIRST_DELAY_MS = 10_000;

/**
 * Keeps keyword search's top lists of common terms (search-top-lists.ts) complete: shortly after the app or serve
 * mode opens, then daily, it builds lists for terms that became common and trims long ones. The triggers do the rest
 * as messages are saved. One-shot CLI commands do not run it; they read the lists as they are.
 */
export class SearchUpkeep {
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.running = refreshTopLists(this.store, { signal: this.abort.signal }).then(
        (r) => {
          if (r.built > 0 || r.trimmed > 0) this.log(`Search lists: ${r.built} built, ${r.trimmed} trimmed in ${r.ms} ms.`);
        },
        (error: unknown) => this.log(`Updating the search lists failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      this.timer = setTimeout(run, DAY_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(run, FIRST_DELAY_MS);
    this.timer.unref();
  }

  /** Stops the schedule and a refresh under way (between slices), so the store can close. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.running;
  }
}
