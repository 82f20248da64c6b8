import { CodaError, type RunEvent, type RunEventPayload } from '../../../shared/index.js';

type Listener = (event: RunEvent) => void;

interface RunRecord {
  runId: string;
  sessionId: string;
  messageId: string;
  events: RunEvent[];
  listeners: Set<Listener>;
  controller: AbortController;
  finished: boolean;
}

export interface RunRegistryOptions {
  /** How long a finished run's events stay replayable for clients that reconnect late. */
  retainFinishedMs?: number;
}

/**
 * Main-owned registry of streaming runs. Each event gets the next sequence number and is kept, so a client
 * that drops off (a reload, a socket reconnect) resumes from the last seq it saw without missing anything.
 */
export class RunRegistry {
  private readonly runs = new Map<string, RunRecord>();
  private readonly retainFinishedMs: number;

  constructor(options: RunRegistryOptions = {}) {
    this.retainFinishedMs = options.retainFinishedMs ?? 5 * 60_000;
  }

  start(runId: string, sessionId: string, messageId: string): AbortSignal {
    const controller = new AbortController();
    this.runs.set(runId, { runId, sessionId, messageId, events: [], listeners: new Set(), controller, finished: false });
    return controller.signal;
  }

  emit(runId: string, payload: RunEventPayload): RunEvent {
    const run = this.runs.get(runId);
    if (!run) throw new CodaError('not_found', `No run with id ${runId}.`);
    const event = { ...payload, runId, seq: run.events.length + 1 } as RunEvent;
    run.events.push(event);
    for (const listener of run.listeners) deliver(listener, event);
    return event;
  }

  /** Marks a run finished; its events stay replayable for a while, then are dropped (the message holds the result). */
  finish(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.finished = true;
    run.listeners.clear();
    setTimeout(() => this.runs.delete(runId), this.retainFinishedMs).unref();
  }

  stop(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run || run.finished) return false;
    run.controller.abort();
    return true;
  }

  stopAll(): void {
    for (const run of this.runs.values()) if (!run.finished) run.controller.abort();
  }

  /** Replays events after `afterSeq`, then delivers live ones until the run finishes or the caller unsubscribes. */
  subscribe(runId: string, afterSeq: number, listener: Listener): () => void {
    const run = this.runs.get(runId);
    if (!run) throw new CodaError('not_found', `The run ${runId} is not known; it may have finished long ago. Reload the session to see its result.`);
    for (const event of run.events.slice(afterSeq)) deliver(listener, event);
    if (run.finished) return () => {};
    run.listeners.add(listener);
    return () => run.listeners.delete(listener);
  }

  active(sessionId: string): { runId: string; messageId: string; lastSeq: number }[] {
    return [...this.runs.values()]
      .filter((run) => !run.finished && run.sessionId === sessionId)
      .map((run) => ({ runId: run.runId, messageId: run.messageId, lastSeq: run.events.length }));
  }
}

/** One faulty subscriber (a closed socket, say) must not break delivery to the others. */
function deliver(listener: Listener, event: RunEvent): void {
  try {
    listener(event);
  } catch {
    // The transport that owns this listener reports and cleans up its own failures.
  }
}
