import { Worker } from 'node:worker_threads';
import type { MathResult } from './math-tools.js';
import type { MathJob, MathReply } from './math-worker.js';

export interface MathSandboxOptions {
  /** The module that starts the worker's side (serveMathRequests) when loaded as a worker thread. */
  workerUrl: URL;
  /** Longest an expression may run (default 10 s). */
  timeoutMs?: number;
  /** The worker's heap (default 256 MB). */
  memoryMb?: number;
}

interface Running {
  id: number;
  worker: Worker;
  resolve(result: MathResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Runs math (expressions, unit conversions) in a worker thread with its own memory limit and a time limit, one job
 * at a time; the tool server itself never loads mathjs. An
 * expression that would take the memory or the time (the size checks in math-tools.ts cannot foresee every large
 * result, and a recursive function can run forever) ends the worker, not the tool server: that call gets a clear
 * error, and the next one starts a fresh worker.
 */
export class MathSandbox {
  /** The worker, and when it has loaded the math (its first message): the time limit counts from then. */
  private worker: { thread: Worker; ready: Promise<void> } | null = null;
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;

  constructor(private readonly options: MathSandboxOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.memoryMb = options.memoryMb ?? 256;
  }

  evaluate(expression: string): Promise<MathResult> {
    return this.enqueue({ kind: 'evaluate', expression });
  }

  convert(value: number, from: string, to: string): Promise<MathResult> {
    return this.enqueue({ kind: 'convert', value, from, to });
  }

  /** Starts the worker ahead of the first call (it loads mathjs, which takes a moment). */
  warm(): void {
    this.worker ??= this.start();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.thread.terminate();
  }

  private enqueue(job: MathJob): Promise<MathResult> {
    const next = this.queue.then(() => this.run(job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(job: MathJob): Promise<MathResult> {
    const { thread: worker, ready } = this.worker ?? this.start();
    await ready;
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.fail(
          worker,
          new Error(`The expression ran for more than ${this.timeoutMs / 1000} s and was stopped. Break it into smaller steps, or use smaller sizes.`),
        );
      }, this.timeoutMs);
      this.running = { id, worker, resolve, reject, timer };
      worker.postMessage({ id, job });
    });
  }

  private start(): { thread: Worker; ready: Promise<void> } {
    const options = { workerData: { role: 'math' }, resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } };
    const worker = this.options.workerUrl.pathname.endsWith('.ts')
      ? // From source (tests, `npm run coda`): Node 20 does not carry the TypeScript loader into workers, so the
        // worker registers it before loading the entry.
        new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(this.options.workerUrl.href)}); });`,
          { ...options, eval: true },
        )
      : new Worker(this.options.workerUrl, options);
    let loaded: () => void = () => undefined;
    let failedToLoad: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      failedToLoad = reject;
    });
    worker.on('message', (reply: MathReply | 'ready') => {
      if (reply === 'ready') return loaded();
      const running = this.running;
      if (!running || running.id !== reply.id) return;
      this.running = null;
      clearTimeout(running.timer);
      if (reply.ok) running.resolve(reply.value);
      else running.reject(new Error(reply.message));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const message =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `The expression needs more memory than the math tool allows (${this.memoryMb} MB) and was stopped. Use smaller sizes, or ask for a summary of the result.`
          : `The math tool's worker failed: ${error.message}`;
      failedToLoad(new Error(message));
      this.fail(worker, new Error(message));
    });
    worker.on('exit', () => {
      failedToLoad(new Error("The math tool's worker stopped before it was ready."));
      this.fail(worker, new Error("The math tool's worker stopped unexpectedly; try again."));
    });
    // An idle worker does not keep the tool server alive once its client is gone. After the listeners: adding a
    // 'message' listener refs the worker again, and the server would outlive its client until it is killed.
    worker.unref();
    // Awaited by the call that started the worker; a worker that dies unused must not leave a rejection unhandled.
    ready.catch(() => undefined);
    this.worker = { thread: worker, ready };
    return this.worker;
  }

  /** Ends the call under way on `worker` with `error` and drops the worker; the next call starts a fresh one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker?.thread === worker) this.worker = null;
    const running = this.running;
    // A worker ended earlier may report its exit while the next call runs on a new one: that call is not its.
    if (running?.worker === worker) {
      this.running = null;
      clearTimeout(running.timer);
      running.reject(error);
    }
    void worker.terminate();
  }
}
