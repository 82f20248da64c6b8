import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/index.js';
import { runCli } from '../../../tests/helpers/cli.js';
import { collectRun, migrationsDir, ok, scriptedEnv, tempDir } from '../../../tests/helpers/core.js';
import { ScriptedProviderServer } from '../../../tests/provider-server/server.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { createCore, type Core } from '../core.js';
import { APP_VERSION } from '../version.js';
import { otlpConfigFromEnv } from './otlp-config.js';

// The spans of an answer sent to an OpenTelemetry collector over OTLP/HTTP (JSON), as a collector receives them:
// a local receiver decodes each request and the tests check the GenAI attributes, the tree and the headers.

const SECRET = 'lf-secret-key-42';

/** OTLP JSON's AnyValue, as the collector decodes it. */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: KeyValue[];
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}
type Plain = string | number | boolean | Plain[] | undefined;

function plain(value: AnyValue): Plain {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return undefined;
}
const attributes = (list: KeyValue[] = []) => Object.fromEntries(list.map((kv) => [kv.key, plain(kv.value)]));

/** A collector on a free port: every POST to /v1/traces decoded and kept with its headers. */
class Receiver {
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: OtlpRequest }[] = [];
  private server: Server | null = null;
  url = '';

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  spans(): (OtlpSpan & { resource: Record<string, Plain> })[] {
    return this.requests.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, resource: attributes(rs.resource.attributes) })))),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

let provider: ScriptedProviderServer;
let receiver: Receiver;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  receiver = await new Receiver().listen();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  receiver.requests.length = 0;
});
afterAll(async () => {
  await provider.close();
  await receiver.close();
});

async function openCore(otel: Record<string, string>, log: string[] = []): Promise<Core> {
  const { dir, remove } = await tempDir();
  const core = await createCore({
    dataDir: dir,
    migrationsDir,
    env: { ...scriptedEnv(provider), ...otel },
    resilience: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 20 },
    defaultSettings: { enabledTools: [] },
    log: (message) => log.push(message),
  });
  cleanups.push(async () => {
    if (!closed.has(core)) await core.close();
    await remove();
  });
  return core;
}

const closed = new WeakSet<Core>();
/** As the CLI does at exit: core closed, which sends what is still queued. */
async function close(core: Core): Promise<void> {
  closed.add(core);
  await core.close();
}

async function answer(core: Core) {
  provider.enqueue(textReply('Hello there.', { input: 21, output: 4 }));
  const session = ok(await core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'hi', approval: 'auto' })) as MethodOutput<'chat.send'>;
  await collectRun(core, started.runId);
  await core.chat.settle();
  const local = ok(await core.invoke('messages.spans', { messageId: started.assistantMessage.id })) as MethodOutput<'messages.spans'>;
  const path = ok(await core.invoke('messages.path', { sessionId: session.id })) as MethodOutput<'messages.path'>;
  return { local, message: path.messages.find((m) => m.id === started.assistantMessage.id)! };
}

describe('OTLP export', { timeout: 60_000 }, () => {
  it("sends an answer's spans to the collector, with the GenAI attributes, the tree, the service name and the headers", async () => {
    const core = await openCore({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${SECRET},x-tenant=coda`,
      OTEL_SERVICE_NAME: 'coda-under-test',
    });
    const { local, message } = await answer(core);
    expect(message.status).toBe('complete');
    // The CLI's exit: closing core sends what is still queued.
    await close(core);

    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(request.headers['x-tenant']).toBe('coda');
      expect(request.headers['content-type']).toContain('application/json');
    }
    const sent = receiver.spans();
    const root = sent.find((s) => s.name === 'invoke_agent coda')!;
    expect(root.resource).toMatchObject({ 'service.name': 'coda-under-test', 'service.version': APP_VERSION });
    expect(root.traceId).toBe(message.traceId);
    expect(root.parentSpanId ?? '').toBe('');
    expect(attributes(root.attributes)).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': message.provider,
      'gen_ai.request.model': message.model,
      'gen_ai.response.model': message.model,
      'gen_ai.conversation.id': message.sessionId,
    });
    const chat = sent.find((s) => s.name === `chat ${message.model}`)!;
    expect(chat.parentSpanId).toBe(root.spanId);
    expect(attributes(chat.attributes)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    // The same spans as the local store keeps, ids and parents alike.
    const localIds = new Map(local.spans.map((s) => [s.spanId, s.parentSpanId]));
    const sentOfTrace = sent.filter((s) => s.traceId === message.traceId);
    expect(sentOfTrace.map((s) => s.spanId).sort()).toEqual([...localIds.keys()].sort());
    for (const span of sentOfTrace) expect(span.parentSpanId || null).toBe(localIds.get(span.spanId));
  });

  it('keeps answering and storing spans locally when the collector is down, and counts what was lost', async () => {
    const dead = await new Receiver().listen();
    const url = `${dead.url}/v1/traces`;
    await dead.close();
    const log: string[] = [];
    const core = await openCore({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url, OTEL_EXPORTER_OTLP_HEADERS: `api-key=${SECRET}` }, log);
    const { local, message } = await answer(core);
    expect(message.status).toBe('complete');
    expect(local.spans.map((s) => s.name)).toEqual(expect.arrayContaining(['invoke_agent coda', `chat ${message.model}`]));
    const started = Date.now();
    await close(core);
    // Bounded by the export timeout (5 s), with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(12_000);
    const stats = core.tracing.stats();
    expect(stats.otlp).toMatchObject({ exported: 0 });
    expect(stats.otlp!.failed).toBeGreaterThanOrEqual(local.spans.length);
    expect(stats.failed).toBe(0);
    expect(log.some((line) => line.includes('could not be sent'))).toBe(true);
    expect(log.join('\n')).not.toContain(SECRET);
  });

  it('samples the exported copy only: at ratio 0 nothing is sent and every span is still kept locally', async () => {
    const core = await openCore({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    const { local } = await answer(core);
    await close(core);
    expect(local.spans.length).toBeGreaterThan(2);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('OTLP export from the CLI', { timeout: 200_000 }, () => {
  it('coda chat sends its spans to the collector before the process exits', async () => {
    const data = await tempDir('coda-cli-otlp-');
    cleanups.push(data.remove);
    provider.enqueue(textReply('From the terminal.', { input: 7, output: 3 }));
    const result = await runCli(['--data-dir', data.dir, 'chat', 'hello'], {
      ...scriptedEnv(provider),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${SECRET}`,
      OTEL_SERVICE_NAME: 'coda-cli',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('From the terminal.');
    // The process has exited: whatever arrived was sent before it did.
    const sent = receiver.spans();
    const root = sent.find((s) => s.name === 'invoke_agent coda');
    expect(root?.resource['service.name']).toBe('coda-cli');
    expect(sent.filter((s) => s.name.startsWith('chat ') && s.parentSpanId === root!.spanId)).toHaveLength(1);
    expect(receiver.requests.every((r) => r.headers['x-api-key'] === SECRET)).toBe(true);
    expect(result.stderr).not.toContain(SECRET);
  });
});

describe('OTLP configuration from the environment', () => {
  it('reads the standard variables as the specification says', () => {
    expect(otlpConfigFromEnv({})).toEqual({ kind: 'off' });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      kind: 'on',
      export: { url: 'http://collector:4318/v1/traces', headers: {}, serviceName: 'coda-agent', sampleRatio: 1 },
    });
    const both = otlpConfigFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://cloud.langfuse.com/api/public/otel/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20cGs6c2s%3D, x-scope=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-scope=b',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'my-agent',
    });
    expect(both).toEqual({
      kind: 'on',
      export: {
        url: 'https://cloud.langfuse.com/api/public/otel/v1/traces',
        headers: { Authorization: 'Basic cGs6c2s=', 'x-scope': 'b' },
        serviceName: 'my-agent',
        sampleRatio: 0.25,
      },
    });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({ kind: 'off' });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toMatchObject({ kind: 'invalid' });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT'),
    });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toMatchObject({
      kind: 'invalid',
    });
  });
});
