import { CodaError, type ElicitationContent, type ElicitationEnd, type ElicitationRecord, type ElicitationSchema } from '../../../../shared/index.js';
import { newId } from '../../util/ids.js';
import type { ElicitationAnswer, ElicitationRequest } from '../sources/services.js';
import { completeAnswer } from './answer.js';

/** A question as the user's surfaces show it (the elicitation-request run event). */
export interface OpenQuestion {
  elicitationId: string;
  toolCallId: string;
  server: string;
  serverLabel: string;
  message: string;
  requestedSchema: ElicitationSchema;
}

/** A tool call in flight, as the broker needs it to bring its server's questions to the run that made the call. */
export interface TrackedCall {
  runId: string;
  toolCallId: string;
  server: string;
  /** The run's signal: stopping the run cancels its open questions. */
  signal: AbortSignal;
  /** Shows the question to the user (a run event). */
  ask(question: OpenQuestion): void;
  /** Keeps the question and how it ended with the tool call, and closes the forms. */
  settle(record: ElicitationRecord): void;
}

interface Waiting {
  call: TrackedCall;
  request: ElicitationRequest;
  finish(answer: ElicitationAnswer, endedBy: ElicitationEnd): void;
}

export interface ElicitationBrokerOptions {
  /** How long a question waits for the user before it is answered "cancel" (default 10 minutes). */
  timeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * Brings tool servers' questions (MCP elicitation) to the user, the way the ApprovalGate brings tool calls: a
 * question goes to the run with a call in flight on that server (its most recent call there; declined when calls of
 * several runs are open), waits for
 * `answer` (chat.elicit, the CLI prompt), and is cancelled when the run stops or nobody answers in time.
 */
export class ElicitationBroker {
  private readonly calls: TrackedCall[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private readonly timeoutMs: number;
  private readonly log: (message: string) => void;

  constructor(options: ElicitationBrokerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
    this.log = options.log ?? (() => {});
  }

  /** Marks a call in flight until the returned function is called; questions still open then are cancelled. */
  track(call: TrackedCall): () => void {
    this.calls.push(call);
    return () => {
      const index = this.calls.indexOf(call);
      if (index >= 0) this.calls.splice(index, 1);
      // The call ended without waiting for the answer: the question is moot, and its record must not outlive the call.
      for (const waiting of [...this.waiting.values()]) if (waiting.call === call) waiting.finish({ action: 'cancel' }, 'withdrawn');
    };
  }

  /** The ConnectionServices hook (an arrow, so it can be handed over as it is). */
  readonly elicit = (request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer> => {
    const candidates = this.calls.filter((c) => c.server === request.serverId && !c.signal.aborted);
    const call = candidates.at(-1);
    if (!call) {
      this.log(
        `Declined a question from the tool server "${request.serverLabel}" ("${request.message.slice(0, 200)}"): none of its tools is being called by a chat, so there is nobody to ask.`,
      );
      return Promise.resolve({ action: 'decline' });
    }
    // The protocol does not say which call asked; with calls from two chats open, showing it in either could put
    // one chat's question (and its answer) in the other.
    if (candidates.some((c) => c.runId !== call.runId)) {
      this.log(`Declined a question from the tool server "${request.serverLabel}": several chats are calling it, and Coda cannot tell which one it is asking.`);
      return Promise.resolve({ action: 'decline' });
    }
    const id = newId();
    const key = `${call.runId}:${id}`;
    const askedAt = Date.now();
    return new Promise((resolve) => {
      const onStop = () => finish({ action: 'cancel' }, 'stopped');
      const onWithdrawn = () => finish({ action: 'cancel' }, 'withdrawn');
      const timer = setTimeout(() => finish({ action: 'cancel' }, 'timeout'), this.timeoutMs);
      timer.unref?.();
      const finish = (answer: ElicitationAnswer, endedBy: ElicitationEnd) => {
        if (!this.waiting.delete(key)) return;
        clearTimeout(timer);
        call.signal.removeEventListener('abort', onStop);
        signal.removeEventListener('abort', onWithdrawn);
        call.settle({
          id,
          server: request.serverId,
          serverLabel: request.serverLabel,
          message: request.message,
          requestedSchema: request.requestedSchema,
          action: answer.action,
          content: answer.action === 'accept' ? (answer.content ?? {}) : null,
          endedBy,
          askedAt,
          answeredAt: Date.now(),
        });
        resolve(answer);
      };
      // Waiting first, then asking: an answer may come back before this function returns.
      this.waiting.set(key, { call, request, finish });
      call.signal.addEventListener('abort', onStop, { once: true });
      signal.addEventListener('abort', onWithdrawn, { once: true });
      if (signal.aborted) return onWithdrawn();
      call.ask({
        elicitationId: id,
        toolCallId: call.toolCallId,
        server: request.serverId,
        serverLabel: request.serverLabel,
        message: request.message,
        requestedSchema: request.requestedSchema,
      });
    });
  };

  /**
   * The user's answer. Accepted content is completed with the schema's defaults and checked; content that does not
   * fit is refused (the question stays open). Returns what is sent to the server.
   */
  answer(runId: string, elicitationId: string, answer: ElicitationAnswer): ElicitationContent | null {
    const waiting = this.waiting.get(`${runId}:${elicitationId}`);
    if (!waiting) throw new CodaError('not_found', 'That question is no longer open (it was answered, stopped, or timed out).');
    if (answer.action !== 'accept') {
      waiting.finish({ action: answer.action }, 'user');
      return null;
    }
    const content = completeAnswer(waiting.request.serverLabel, waiting.request.requestedSchema, answer.content ?? {});
    waiting.finish({ action: 'accept', content }, 'user');
    return content;
  }
}
