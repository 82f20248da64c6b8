import { context, SpanKind as OtelKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanKind } from '../../../shared/index.js';
import type { SpansRepository } from '../store/repositories/spans.js';
import { APP_VERSION } from '../version.js';
import { LibsqlSpanExporter } from './libsql-exporter.js';
import { DEFAULT_SERVICE_NAME, otlpConfigFromEnv } from './otlp-config.js';
import { otlpPipeline } from './otlp-export.js';
import type { ExportStats, SpanHandle, TraceRuntime, TracingOptions } from './types.js';

const KINDS: Record<SpanKind, OtelKind> = {
  internal: OtelKind.INTERNAL,
  server: OtelKind.SERVER,
  client: OtelKind.CLIENT,
  producer: OtelKind.PRODUCER,
  consumer: OtelKind.CONSUMER,
};

let contextManagerSet = false;

/**
 * The active span follows the work across awaits through AsyncLocalStorage. The context manager is the process's
 * (the OpenTelemetry API keeps one); the tracer provider is each core's own, so two cores in one process (tests)
 * write to their own databases.
 */
function ensureContextManager(): void {
  if (contextManagerSet) return;
  contextManagerSet = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** Counts every span that ends, so the exporter's drops (a full queue) can be reported. */
class CountingProcessor implements SpanProcessor {
  ended = 0;
  constructor(private readonly inner: SpanProcessor) {}
  onStart(span: Parameters<SpanProcessor['onStart']>[0], parent: Context): void {
    this.inner.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    this.ended++;
    this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

export function createRuntime(spans: SpansRepository, options: TracingOptions, log?: (message: string) => void): TraceRuntime {
  ensureContextManager();
  const exporter = new LibsqlSpanExporter(spans);
  const processor = new CountingProcessor(
    new BatchSpanProcessor(exporter, {
      maxQueueSize: options.maxQueueSize ?? 4096,
      maxExportBatchSize: options.maxExportBatchSize ?? 512,
      scheduledDelayMillis: options.scheduledDelayMs ?? 2000,
    }),
  );
  // The collector's copy has its own queue: a dead collector loses only exported spans, counted.
  const config = otlpConfigFromEnv(options.env ?? {});
  if (config.kind === 'invalid') log?.(config.reason);
  const otlp = config.kind === 'on' ? otlpPipeline(config.export, log) : null;
  const provider = new BasicTracerProvider({
    spanProcessors: otlp ? [processor, otlp.processor] : [processor],
    resource: resourceFromAttributes({
      'service.name': config.kind === 'on' ? config.export.serviceName : DEFAULT_SERVICE_NAME,
      'service.version': APP_VERSION,
    }),
  });
  const tracer: Tracer = provider.getTracer('coda', APP_VERSION);
  return {
    span(name, attributes, fn, kind) {
      return tracer.startActiveSpan(name, { kind: KINDS[kind], attributes }, async (span) => {
        try {
          return await fn(handle(span));
        } catch (error) {
          const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
          span.setAttribute('error.type', code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    active() {
      const span = trace.getActiveSpan();
      return span?.isRecording() ? handle(span) : null;
    },
    flush: () => processor.forceFlush(),
    shutdown: () => provider.shutdown(),
    stats(): ExportStats {
      const { exported, failed } = exporter;
      return { ended: processor.ended, exported, failed, dropped: Math.max(0, processor.ended - exported - failed), otlp: otlp?.stats() ?? null };
    },
  };
}

function handle(span: Span): SpanHandle {
  const { traceId, spanId } = span.spanContext();
  return {
    traceId,
    spanId,
    setAttributes: (attributes) => void span.setAttributes(attributes),
    addEvent: (name, attributes) => void span.addEvent(name, attributes),
    fail: (message, type) => {
      if (type) span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    },
  };
}
