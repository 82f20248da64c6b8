import { CodaError } from '../../../shared/index.js';

/**
 * Tool calls waiting for the user's yes or no. The agent loop waits on `request`; the UI (or the CLI prompt)
 * answers through `decide`. Stopping the run answers no. Calls are named by Coda's own id (the tool_calls row's),
 * never the provider's: a provider may give two calls one id, and an answer must reach exactly the call the user saw.
 */
export class ApprovalGate {
  private readonly waiting = new Map<string, (allow: boolean) => void>();

  request(runId: string, toolCallId: string, signal: AbortSignal): Promise<boolean> {
    const key = `${runId}:${toolCallId}`;
    // One question per call: a second would leave the first unanswerable, and an answer meant for one could run the other.
    if (this.waiting.has(key)) return Promise.reject(new CodaError('conflict', `The tool call ${toolCallId} is already waiting for approval.`));
    return new Promise((resolve) => {
      const onAbort = () => finish(false);
      const finish = (allow: boolean) => {
        signal.removeEventListener('abort', onAbort);
        this.waiting.delete(key);
        resolve(allow);
      };
      if (signal.aborted) return finish(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(key, finish);
    });
  }

  decide(runId: string, toolCallId: string, allow: boolean): void {
    const finish = this.waiting.get(`${runId}:${toolCallId}`);
    if (!finish) throw new CodaError('not_found', 'That tool call is not waiting for approval (it may have been answered or stopped).');
    finish(allow);
  }
}
