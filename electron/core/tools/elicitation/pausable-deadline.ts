/**
 * A call's time limit that stops counting while the call waits on the user (a server's question mid-call): the
 * limit is for the server's work, not for how long someone takes to fill in a form.
 */
export class PausableDeadline {
  private readonly controller = new AbortController();
  private remainingMs: number;
  private resumedAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pauses = 0;
  private cleared = false;
  expired = false;

  constructor(readonly limitMs: number) {
    this.remainingMs = limitMs;
    this.start();
  }

  /** Aborts when the time is up. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Pauses may nest (several questions at once); counting resumes when the last one ends. */
  pause(): void {
    if (this.pauses++ > 0 || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.remainingMs = Math.max(0, this.remainingMs - (Date.now() - this.resumedAt));
  }

  resume(): void {
    if (this.pauses === 0 || --this.pauses > 0 || this.expired || this.cleared) return;
    this.start();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cleared = true;
  }

  private start(): void {
    this.resumedAt = Date.now();
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error(`timed out after ${Math.round(this.limitMs / 1000)} s`));
    }, this.remainingMs);
  }
}
