import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { displayEndpoint, type OtlpExport } from './otlp-config.js';
import type { OtlpStats } from './types.js';

/** How long one export to the collector may take; a dead or slow collector costs the CLI at most this at exit. */
const EXPORT_TIMEOUT_MS = 5000;

/**
 * The OTLP exporter, counting what was sent and what was lost. A failure is counted and reported once through
 * `log` (endpoint without credentials, never the headers); the batch is lost, the local store is untouched.
 */
class CountingOtlpExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  private reported = false;
  private readonly inner: OTLPTraceExporter;

  constructor(
    private readonly config: OtlpExport,
    private readonly log: ((message: string) => void) | undefined,
  ) {
    this.inner = new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else {
        this.failed += spans.length;
        if (!this.reported) {
          this.reported = true;
          this.log?.(
            `Spans could not be sent to ${displayEndpoint(this.config.url)} (${this.redact(result.error?.message ?? 'failed')}); they are kept locally.`,
          );
        }
      }
      resultCallback(result);
    });
  }

  /** A collector's error text could echo a header back: no header value goes into a log. */
  private redact(message: string): string {
    return Object.values(this.config.headers).reduce((text, secret) => (secret ? text.split(secret).join('***') : text), message);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/**
 * The exported copy's sampling. The provider's sampler would decide for the local store too, so the ratio is
 * applied here instead, on ended spans: by trace id (the same rule as TraceIdRatioBasedSampler), so a trace is
 * sent whole or not at all, and the local waterfall keeps every answer.
 */
class SampledProcessor implements SpanProcessor {
  private readonly sampler: TraceIdRatioBasedSampler;
  constructor(
    private readonly inner: SpanProcessor,
    ratio: number,
  ) {
    this.sampler = new TraceIdRatioBasedSampler(ratio);
  }
  onStart(span: Parameters<SpanProcessor['onStart']>[0], parent: Context): void {
    this.inner.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    if (this.sampler.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED) this.inner.onEnd(span);
  }
  // A failed send is counted (and reported once) by the exporter: it must not fail core's close or the CLI's exit.
  forceFlush(): Promise<void> {
    return this.inner.forceFlush().catch(() => undefined);
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => undefined);
  }
}

export interface OtlpPipeline {
  processor: SpanProcessor;
  stats(): OtlpStats;
}

/** A batch processor of its own, beside the local one: the two queues never wait on each other. */
export function otlpPipeline(config: OtlpExport, log?: (message: string) => void): OtlpPipeline {
  const exporter = new CountingOtlpExporter(config, log);
  const processor = new SampledProcessor(
    new BatchSpanProcessor(exporter, { maxQueueSize: 4096, maxExportBatchSize: 512, scheduledDelayMillis: 2000, exportTimeoutMillis: EXPORT_TIMEOUT_MS }),
    config.sampleRatio,
  );
  return { processor, stats: () => ({ exported: exporter.exported, failed: exporter.failed }) };
}
