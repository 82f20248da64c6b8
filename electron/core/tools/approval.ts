import { CodaError } from '../../../shared/index.js';

/**
 * Tool calls waiting for the user's yes or no. The agent loop waits on `request`; the UI (or the CLI prompt)
 * answers through `decide`. Stopping the run answers no.
 */
export class ApprovalGate {
  private readonly waiting = new Map<string, (allow: boolean) => void>();

  request(runId: string, toolCallId: string, signal: AbortSignal): Promise<boolean> {
    const key = `${runId}:${toolCallId}`;
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
