import type { SpanAttributes, SpanKind } from '../../../shared/index.js';

/* What the tracing facade (tracing.ts) and the OpenTelemetry runtime it loads (otel-runtime.ts) share. */

/** One span while it is open, as instrumented code sees it (no OpenTelemetry object leaves this folder). */
export interface SpanHandle {
  readonly traceId: string;
  readonly spanId: string;
  setAttributes(attributes: SpanAttributes): void;
  addEvent(name: string, attributes?: SpanAttributes): void;
  /** Marks the span failed (status error) with a message for the user and an error type (a CodaError code). */
  fail(message: string, type?: string): void;
}

/** What the exporter did so far: every ended span is exported, failed (the write failed) or dropped (queue full). */
export interface ExportStats {
  ended: number;
  exported: number;
  failed: number;
  /** Ended minus exported minus failed: spans the bounded queue dropped, or still queued before a flush. */
  dropped: number;
  /** The copy sent to an OpenTelemetry collector, when export is on: spans it accepted, and spans lost (failed sends). */
  otlp: OtlpStats | null;
}

export interface OtlpStats {
  exported: number;
  failed: number;
}

/** The OpenTelemetry side, loaded on first use (otel-runtime.ts): the API, the SDK's tracer and the exporter. */
export interface TraceRuntime {
  span<T>(name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => Promise<T>, kind: SpanKind): Promise<T>;
  active(): SpanHandle | null;
  /** Writes the ended spans to the local store (not the collector: reading an answer's spans never waits on it). */
  flush(): Promise<void>;
  /** Flushes both the local store and the collector (bounded by the export timeout), then stops. */
  shutdown(): Promise<void>;
  stats(): ExportStats;
}

export interface TracingOptions {
  /** Spans per exported batch and the most kept waiting (beyond which new ones are dropped and counted). */
  maxExportBatchSize?: number;
  maxQueueSize?: number;
  /** How long ended spans wait before a batch is written (default 2 s), keeping writes off the streaming path. */
  scheduledDelayMs?: number;
  /** Tests and benchmarks: tracing off (no SDK loaded; every span is a no-op). */
  disabled?: boolean;
  /**
   * The environment whose OpenTelemetry variables (OTEL_EXPORTER_OTLP_ENDPOINT…) turn on sending the spans to a
   * collector too; read when the SDK loads (otlp-config.ts), so commands without answers parse nothing. Core passes
   * its own `env`.
   */
  env?: NodeJS.ProcessEnv;
  /** Where a failure to load the SDK, a bad OTLP setting or a collector that cannot be reached is told (once). */
  log?: (message: string) => void;
}
