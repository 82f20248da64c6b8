import { parseKeyPairsIntoRecord } from '@opentelemetry/core';

/*
 * Where the spans are also sent, read from the standard OpenTelemetry environment variables in core's `env` (the
 * CLI, serve mode and the app pass process.env). Plain parsing only: the exporter itself loads with the SDK
 * (otel-runtime.ts), so commands without answers still load none of it.
 */

/** OTLP over HTTP (JSON) to one traces endpoint; header values are secrets (API keys) and never leave the exporter. */
export interface OtlpExport {
  /** The full traces URL (…/v1/traces). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  /** Share of traces sent, 0–1, decided per trace id (whole traces, never parts of one); the local store keeps all. */
  sampleRatio: number;
}

export type OtlpConfig = { kind: 'off' } | { kind: 'on'; export: OtlpExport } | { kind: 'invalid'; reason: string };

export const DEFAULT_SERVICE_NAME = 'coda-agent';

/**
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is; OTEL_EXPORTER_OTLP_ENDPOINT gets `/v1/traces` appended (as
 * the specification says). OTEL_EXPORTER_OTLP_HEADERS (and the TRACES_ one, which wins per name) is `k=v,k2=v2`,
 * URL-encoded. OTEL_SERVICE_NAME names the service (default coda-agent). OTEL_TRACES_SAMPLER `traceidratio` or
 * `parentbased_traceidratio` with OTEL_TRACES_SAMPLER_ARG sets the share sent. OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn export off.
 */
export function otlpConfigFromEnv(env: NodeJS.ProcessEnv): OtlpConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  if (value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true' || value('OTEL_TRACES_EXPORTER')?.toLowerCase() === 'none') return { kind: 'off' };
  const tracesEndpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!tracesEndpoint && !baseEndpoint) return { kind: 'off' };
  const url = tracesEndpoint ?? `${baseEndpoint!.replace(/\/+$/, '')}/v1/traces`;
  const variable = tracesEndpoint ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'invalid', reason: `${variable} is not a URL: spans are kept locally but not sent.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { kind: 'invalid', reason: `${variable} must be an http:// or https:// address: spans are kept locally but not sent.` };

  const sampler = value('OTEL_TRACES_SAMPLER')?.toLowerCase();
  let sampleRatio = 1;
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') {
    const arg = value('OTEL_TRACES_SAMPLER_ARG');
    const ratio = arg === undefined ? 1 : Number(arg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      return { kind: 'invalid', reason: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1: spans are kept locally but not sent.' };
    sampleRatio = ratio;
  } else if (sampler === 'always_off' || sampler === 'parentbased_always_off') sampleRatio = 0;

  return {
    kind: 'on',
    export: {
      url,
      headers: { ...parseKeyPairsIntoRecord(value('OTEL_EXPORTER_OTLP_HEADERS')), ...parseKeyPairsIntoRecord(value('OTEL_EXPORTER_OTLP_TRACES_HEADERS')) },
      serviceName: value('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
      sampleRatio,
    },
  };
}

/** The endpoint as it may be shown or logged: no user info, query or fragment (a token may sit in any of them). */
export function displayEndpoint(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
