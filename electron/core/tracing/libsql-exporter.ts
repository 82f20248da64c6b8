import { SpanKind as OtelKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SpanAttributes, SpanKind, TraceSpan } from '../../../shared/index.js';
import type { SpansRepository } from '../store/repositories/spans.js';

const KINDS: Record<OtelKind, SpanKind> = {
  [OtelKind.INTERNAL]: 'internal',
  [OtelKind.SERVER]: 'server',
  [OtelKind.CLIENT]: 'client',
  [OtelKind.PRODUCER]: 'producer',
  [OtelKind.CONSUMER]: 'consumer',
};

/** The batch span processor's exporter: each batch becomes one multi-row insert into the `spans` table. */
export class LibsqlSpanExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  private stopped = false;

  constructor(private readonly spans: SpansRepository) {}

  export(batch: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      this.failed += batch.length;
      resultCallback({ code: ExportResultCode.FAILED });
      return;
    }
    this.spans.insertBatch(batch.map(toTraceSpan)).then(
      () => {
        this.exported += batch.length;
        resultCallback({ code: ExportResultCode.SUCCESS });
      },
      (error: unknown) => {
        // Timings are a nicety: a failed write loses this batch and nothing else.
        this.failed += batch.length;
        resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
  }
}

export function toTraceSpan(span: ReadableSpan): TraceSpan {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: KINDS[span.kind],
    start: hrToMs(span.startTime),
    duration: Math.max(0, hrToMs(span.duration)),
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
    statusMessage: span.status.message ?? null,
    attributes: plain(span.attributes),
    events: span.events.map((e) => ({ name: e.name, atMs: hrToMs(e.time), attributes: plain(e.attributes ?? {}) })),
  };
}

function hrToMs([seconds, nanos]: HrTime): number {
  return seconds * 1000 + nanos / 1e6;
}

/** Attributes without the empty entries and null members OpenTelemetry's type allows. */
function plain(attributes: Attributes): SpanAttributes {
  const out: SpanAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const items = value.filter((v) => v !== null && v !== undefined);
      if (items.every((v) => typeof v === 'string')) out[key] = items as string[];
      else if (items.every((v) => typeof v === 'number')) out[key] = items as number[];
      else if (items.every((v) => typeof v === 'boolean')) out[key] = items as boolean[];
    } else out[key] = value;
  }
  return out;
}
