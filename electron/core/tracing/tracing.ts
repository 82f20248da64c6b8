import type { SpanAttributes, SpanKind } from '../../../shared/index.js';
import type { SpansRepository } from '../store/repositories/spans.js';
import type { ExportStats, SpanHandle, TraceRuntime, TracingOptions } from './types.js';

export type { ExportStats, SpanHandle, TracingOptions } from './types.js';

const NOOP_SPAN: SpanHandle = { traceId: '', spanId: '', setAttributes: () => undefined, addEvent: () => undefined, fail: () => undefined };

/**
 * Core's tracing: OpenTelemetry spans for answers, model and tool calls, context building and database writes,
 * exported in batches into the `spans` table. The SDK is imported when `load()` runs (core starts it as it opens
 * and a run waits for it), so `coda --help` and commands without answers never load it. Until it is loaded, or
 * when disabled, every span is a no-op and the work runs as it would without tracing.
 */
export class Tracing {
  private runtime: TraceRuntime | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly spans: SpansRepository,
    private readonly options: TracingOptions = {},
  ) {}

  /** Loads the SDK once; a failure to load leaves tracing off rather than failing answers. */
  load(): Promise<void> {
    if (this.options.disabled) return Promise.resolve();
    const { log } = this.options;
    this.loading ??= import('./otel-runtime.js').then(
      ({ createRuntime }) => {
        this.runtime = createRuntime(this.spans, this.options, log);
      },
      (error: unknown) => log?.(`Tracing is off: ${error instanceof Error ? error.message : String(error)}`),
    );
    return this.loading;
  }

  /** Runs `fn` in a new span, a child of the active one; the span ends (failed, if `fn` throws) when `fn` settles. */
  span<T>(
    name: string,
    attributes: SpanAttributes,
    fn: (span: SpanHandle) => Promise<T>,
    options: { kind?: SpanKind; after?: (result: T) => SpanAttributes } = {},
  ): Promise<T> {
    if (!this.runtime) return fn(NOOP_SPAN);
    const { after } = options;
    return this.runtime.span(
      name,
      attributes,
      after
        ? async (span) => {
            const result = await fn(span);
            span.setAttributes(after(result));
            return result;
          }
        : fn,
      options.kind ?? 'internal',
    );
  }

  /** Like `span`, but only inside another span (a run): work outside any answer (a rename, say) is not traced. */
  childSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T> {
    return this.active() ? this.span(name, attributes, fn) : fn();
  }

  /** The span the caller runs in, if any. */
  active(): SpanHandle | null {
    return this.runtime?.active() ?? null;
  }

  /** Writes every ended span now (before reading an answer's spans, and at shutdown). */
  async flush(): Promise<void> {
    await this.runtime?.flush();
  }

  async shutdown(): Promise<void> {
    await this.runtime?.shutdown();
  }

  stats(): ExportStats {
    return this.runtime?.stats() ?? { ended: 0, exported: 0, failed: 0, dropped: 0, otlp: null };
  }
}
