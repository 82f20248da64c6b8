import { parentPort } from 'node:worker_threads';
import { evaluateExpression } from './math-tools.js';

/** A request to the math worker and its answer (math-sandbox.ts sends one at a time, once the worker said 'ready'). */
export interface MathRequest {
  id: number;
  expression: string;
}
export type MathReply = { id: number; ok: true; value: ReturnType<typeof evaluateExpression> } | { id: number; ok: false; message: string };

/** The worker's side: evaluates each expression it is sent and answers with the result or the error's message. */
export function serveMathRequests(): void {
  const port = parentPort;
  if (!port) throw new Error('The math worker runs only as a worker thread.');
  port.on('message', ({ id, expression }: MathRequest) => {
    let reply: MathReply;
    try {
      reply = { id, ok: true, value: evaluateExpression(expression) };
    } catch (error) {
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  // Loaded: the sandbox's time limit for each expression counts from here, not from the worker's start.
  port.postMessage('ready');
}
