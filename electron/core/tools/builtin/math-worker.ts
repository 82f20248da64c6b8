import { parentPort } from 'node:worker_threads';
import { convertUnits, evaluateExpression, type MathResult } from './math-tools.js';

/** What the tool server asks its math worker (math-sandbox.ts sends one at a time, once the worker said 'ready'). */
export type MathJob = { kind: 'evaluate'; expression: string } | { kind: 'convert'; value: number; from: string; to: string };
export interface MathRequest {
  id: number;
  job: MathJob;
}
export type MathReply = { id: number; ok: true; value: MathResult } | { id: number; ok: false; message: string };

function run(job: MathJob): MathResult {
  return job.kind === 'evaluate' ? evaluateExpression(job.expression) : convertUnits(job.value, job.from, job.to);
}

/** The worker's side: does each job it is sent and answers with the result or the error's message. */
export function serveMathRequests(): void {
  const port = parentPort;
  if (!port) throw new Error('The math worker runs only as a worker thread.');
  port.on('message', ({ id, job }: MathRequest) => {
    let reply: MathReply;
    try {
      reply = { id, ok: true, value: run(job) };
    } catch (error) {
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  // Loaded: the sandbox's time limit for each job counts from here, not from the worker's start.
  port.postMessage('ready');
}
