import { z } from 'zod';
import { Id } from './domain.js';

/** An attribute value as OpenTelemetry allows it: a scalar or a list of one scalar type. */
export const SpanAttributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.array(z.number()), z.array(z.boolean())]);
export type SpanAttributeValue = z.infer<typeof SpanAttributeValue>;
export const SpanAttributes = z.record(z.string(), SpanAttributeValue);
export type SpanAttributes = z.infer<typeof SpanAttributes>;

export const SpanKind = z.enum(['internal', 'server', 'client', 'producer', 'consumer']);
export type SpanKind = z.infer<typeof SpanKind>;
export const SpanStatus = z.enum(['unset', 'ok', 'error']);
export type SpanStatus = z.infer<typeof SpanStatus>;

/** Something that happened at one moment of a span (the model's first token, say). */
export const SpanEvent = z.object({ name: z.string(), atMs: z.number(), attributes: SpanAttributes });
export type SpanEvent = z.infer<typeof SpanEvent>;

/** One timed operation of an answer, as OpenTelemetry recorded it (ids are W3C trace-context hex). */
export const TraceSpan = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Null for the answer's own span, the root of its trace. */
  parentSpanId: z.string().nullable(),
  /** GenAI semantic conventions: "invoke_agent coda", "chat gpt-4.1", "execute_tool evaluate_math"; and Coda's own. */
  name: z.string(),
  kind: SpanKind,
  /** Wall-clock ms since the epoch. */
  start: z.number(),
  /** ms. */
  duration: z.number().nonnegative(),
  status: SpanStatus,
  statusMessage: z.string().nullable(),
  attributes: SpanAttributes,
  events: z.array(SpanEvent),
});
export type TraceSpan = z.infer<typeof TraceSpan>;

/** A span with what the user's history says about it. */
export const TimedSpan = TraceSpan.extend({
  /**
   * The 90th percentile of this operation's (span name's) durations over the user's kept history, when there are
   * enough of them to say (at least 10); null otherwise.
   */
  p90: z.number().nonnegative().nullable(),
  /** Slower than that 90th percentile. */
  slow: z.boolean(),
});
export type TimedSpan = z.infer<typeof TimedSpan>;

/** How long timings are kept, in days. */
export const TraceRetentionDays = z.number().int().min(1).max(3650);
export const TraceSettings = z.object({ retentionDays: TraceRetentionDays });
export type TraceSettings = z.infer<typeof TraceSettings>;
export const DEFAULT_TRACE_RETENTION_DAYS = 30;

export const traceMethods = {
  /** The spans of an answer's trace, in start order (empty while it streams or when its timings were pruned). */
  'messages.spans': {
    input: z.object({ messageId: Id }).strict(),
    output: z.object({ traceId: z.string().nullable(), spans: z.array(TimedSpan) }),
  },
  'data.traceSettings': { input: z.object({}).strict(), output: TraceSettings },
  /** Sets how long timings are kept; spans older than that are deleted at once. */
  'data.updateTraceSettings': {
    input: z.object({ retentionDays: TraceRetentionDays }).strict(),
    output: TraceSettings.extend({ pruned: z.number().int().nonnegative() }),
  },
} as const;
