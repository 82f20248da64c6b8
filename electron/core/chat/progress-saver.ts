export interface Progress {
  text: string;
  reasoning: string;
  firstTokenAt: number | null;
}

/**
 * Accumulates a streaming answer and saves it at most every `intervalMs` (250 ms by default), so a crash loses
 * at most that much while the database is not written on every token.
 */
export class ProgressSaver {
  private text = '';
  private reasoning = '';
  private firstTokenAt: number | null = null;
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly save: (progress: Progress) => Promise<void>,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
  }

  appendText(text: string): void {
    this.firstTokenAt ??= Date.now();
    this.text += text;
    this.dirty = true;
  }

  appendReasoning(text: string): void {
    this.firstTokenAt ??= Date.now();
    this.reasoning += text;
    this.dirty = true;
  }

  /** Whether any text or reasoning has arrived (and so may have reached the user). */
  get hasContent(): boolean {
    return this.firstTokenAt !== null;
  }

  /** Something other than text reached the user (a tool call): the answer has begun. */
  noteActivity(): void {
    this.firstTokenAt ??= Date.now();
  }

  snapshot(): Progress {
    return { text: this.text, reasoning: this.reasoning, firstTokenAt: this.firstTokenAt };
  }

  /** Stops the timer and waits for a save in progress; the caller writes the final state itself. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.saving;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const progress = this.snapshot();
    this.saving = this.saving
      .then(() => this.save(progress))
      .catch(() => {
        // A failed intermediate save is retried by the next tick; the final save reports its own errors.
        this.dirty = true;
      });
  }
}
