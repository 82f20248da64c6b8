import { DEFAULT_TRACE_RETENTION_DAYS, type TimedSpan, type traceMethods } from '../../../shared/index.js';
import type { Preferences } from '../settings/preferences.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import type { SpansRepository } from '../store/repositories/spans.js';
import type { TraceRetention } from '../tracing/retention.js';
import type { Tracing } from '../tracing/tracing.js';
import type { Handlers } from './router.js';

export type TraceMethod = keyof typeof traceMethods;

export interface TraceHandlerDeps {
  messages: MessagesRepository;
  spans: SpansRepository;
  tracing: Tracing;
  retention: TraceRetention;
  preferences: Preferences;
}

export function retentionDays(preferences: Preferences): number {
  return preferences.get('traceRetentionDays') ?? DEFAULT_TRACE_RETENTION_DAYS;
}

/** An answer's spans for its waterfall, each compared with its operation's 90th percentile; how long timings are kept. */
export function createTraceHandlers(d: TraceHandlerDeps): Pick<Handlers, TraceMethod> {
  return {
    'messages.spans': async ({ messageId }) => {
      const message = await d.messages.require(messageId);
      if (!message.traceId) return { traceId: null, spans: [] };
      // Spans still waiting in the exporter's queue (the answer just ended) are written first.
      await d.tracing.flush();
      const spans = await d.spans.forTrace(message.traceId);
      const p90 = await d.spans.p90ByName(spans.map((s) => s.name));
      const timed: TimedSpan[] = spans.map((s) => {
        const limit = p90.get(s.name) ?? null;
        return { ...s, p90: limit, slow: limit !== null && s.duration > limit };
      });
      return { traceId: message.traceId, spans: timed };
    },
    'data.traceSettings': async () => ({ retentionDays: retentionDays(d.preferences) }),
    'data.updateTraceSettings': async ({ retentionDays: days }) => {
      d.preferences.set('traceRetentionDays', days);
      return { retentionDays: days, pruned: await d.retention.prune() };
    },
  };
}
