import type { z } from 'zod';
import {
  CodaError,
  isMethodName,
  methods,
  Subscription,
  toErrorShape,
  type AnySubscriptionEvent,
  type CodaBridge,
  type MethodName,
  type MethodOutput,
  type Methods,
  type Result,
} from '../../../shared/index.js';
import type { AppEvents } from '../runs/app-events.js';
import type { RunRegistry } from '../runs/run-registry.js';

export type Handlers = {
  [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>>;
};

/**
 * What every transport talks to: untrusted input in, a typed result or a `{code, message}` error out. It is also a
 * bridge itself, so `new CodaClient(core)` calls core in-process (the CLI, tests, benches) with typed results.
 */
export interface CoreApi extends CodaBridge {
  invoke<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  /** From a transport: any name, checked here. */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Throws a validation error for a subscription that is not in the contract (the socket sends it as subscription-error). */
  subscribe(subscription: unknown, onEvent: (event: AnySubscriptionEvent) => void): () => void;
}

export function createRouter(handlers: Handlers, runs: RunRegistry, appEvents: AppEvents, log: (message: string) => void = () => {}): CoreApi {
  async function invoke(method: string, input: unknown): Promise<Result<unknown>> {
    try {
      if (!isMethodName(method)) throw new CodaError('unknown_method', `Unknown method "${String(method).slice(0, 100)}".`);
      const spec = methods[method];
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) throw validationError(method, parsed.error);
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      const output = await handler(parsed.data);
      return { ok: true, value: spec.output.parse(output) };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.code === 'internal') log(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { ok: false, error: shape };
    }
  }
  return {
    // The value was parsed with this method's own output schema above, so it has that method's output type.
    invoke: invoke as CoreApi['invoke'],

    subscribe(raw, onEvent) {
      const parsed = Subscription.safeParse(raw);
      if (!parsed.success) throw validationError('subscribe', parsed.error);
      const subscription = parsed.data;
      // Outgoing events are made by core itself and already typed; only what comes in is validated.
      if (subscription.topic === 'app') return appEvents.subscribe(onEvent);
      return runs.subscribe(subscription.runId, subscription.afterSeq, onEvent);
    },
  };
}

function validationError(where: string, error: z.ZodError): CodaError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return new CodaError('validation', `Invalid input for ${where}: ${summary}`, { issues });
}
