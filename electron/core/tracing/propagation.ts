import { context, defaultTextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();

/** The W3C `traceparent` (and `tracestate`) of the span the caller runs in; empty outside any span. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier;
}

/**
 * `fetch` that adds the active span's `traceparent` to each request, so a tool server over HTTP can join the answer's
 * trace. Headers the caller set win (a server that asks for its own).
 */
export const tracedFetch: typeof fetch = (input, init) => {
  const extra = traceHeaders();
  if (Object.keys(extra).length === 0) return fetch(input, init);
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value);
  return fetch(input, { ...init, headers });
};
