import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicRefusal, anthropicWire } from './anthropic.js';
import { countTokensReply, geminiRefusal, geminiWire, scriptedTokenCount } from './gemini.js';
import { geminiBatchEmbedReply, openaiEmbeddingsReply } from './embeddings.js';
import { openaiWire } from './openai.js';
import type { ErrorScript, ProviderName, Script } from './script.js';
import type { WireFormat } from './stream.js';

export interface RecordedRequest {
  method: string;
  /** The request target as sent, query string included (`?alt=sse`). */
  path: string;
  /** Which provider's API the path belongs to. */
  provider: ProviderName;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

type Kind = 'stream' | 'completion';
type Queues = Record<Kind, Script[]>;

const wires: Record<ProviderName, WireFormat> = { openai: openaiWire, anthropic: anthropicWire, gemini: geminiWire };

/**
 * A local HTTP server that answers like the providers' real APIs (status codes, headers, SSE framing), replaying
 * scripts queued by the test. The real SDKs are pointed at it by base URL:
 * OpenAI `${url}/v1`, Anthropic `${url}` (the SDK adds /v1), Gemini `${url}` (the SDK adds /v1beta).
 * Gemini's countTokens is answered by `countTokens` rather than from the script queues.
 */
export class ScriptedProviderServer {
  readonly requests: RecordedRequest[] = [];
  /** Model ids listed by each provider's models endpoint. */
  readonly models: Record<ProviderName, string[]> = {
    openai: ['gpt-4o-mini', 'gpt-4.1'],
    anthropic: ['claude-sonnet-4-6', 'claude-haiku-4-5'],
    gemini: ['gemini-2.5-flash', 'gemini-2.5-pro', 'text-embedding-004'],
  };
  /** Gemini's models/{model}:countTokens: a count for the request body, or an error to answer with. */
  countTokens: (body: Record<string, unknown>) => number | ErrorScript = scriptedTokenCount;
  /** Set to make every embeddings request fail with this error (a provider without embeddings, a bad key). */
  embeddingFailure: ErrorScript | null = null;
  private readonly shared: Queues = { stream: [], completion: [] };
  private readonly perProvider: Record<ProviderName, Queues> = {
    openai: { stream: [], completion: [] },
    anthropic: { stream: [], completion: [] },
    gemini: { stream: [], completion: [] },
  };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Base URL for the OpenAI SDK, which appends /chat/completions and /models to it. */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Base URL for the Anthropic SDK, which appends /v1/messages and /v1/models to it. */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** `httpOptions.baseUrl` for @google/genai, which appends /{apiVersion}/models/{model}:{method}. */
  get geminiBaseUrl(): string {
    return this.url;
  }

  /** Queues a reply for the next streamed chat request, whichever provider it comes from. */
  enqueue(...scripts: Script[]): void {
    this.shared.stream.push(...scripts);
  }

  /** Queues a reply for the next non-streamed chat request (titles and other housekeeping). */
  enqueueCompletion(...scripts: Script[]): void {
    this.shared.completion.push(...scripts);
  }

  /** Replies only the given provider will get; they are used before the shared queue. */
  forProvider(provider: ProviderName): { enqueue(...scripts: Script[]): void; enqueueCompletion(...scripts: Script[]): void } {
    const queues = this.perProvider[provider];
    return {
      enqueue: (...scripts) => void queues.stream.push(...scripts),
      enqueueCompletion: (...scripts) => void queues.completion.push(...scripts),
    };
  }

  get pending(): number {
    return [this.shared, ...Object.values(this.perProvider)].reduce((sum, q) => sum + q.stream.length + q.completion.length, 0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routeOf(req.method ?? 'GET', url, req.headers, body);
    this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', provider: route.provider, headers: req.headers, body });
    const wire = wires[route.provider];
    try {
      if (route.action === 'models') return wire.models(res, this.models[route.provider]);
      if (route.action === 'unknown') return wire.error(res, { kind: 'error', status: 404, message: `Unknown path ${req.method} ${req.url}` });
      if (route.action === 'unsupported') return wire.error(res, { kind: 'error', status: 400, message: route.reason });
      if (route.action === 'refused') return wire.error(res, route.error);
      if (route.action === 'embeddings') {
        if (this.embeddingFailure) return wire.error(res, this.embeddingFailure);
        return route.provider === 'gemini' ? geminiBatchEmbedReply(res, body) : openaiEmbeddingsReply(res, body);
      }
      if (route.action === 'count-tokens') {
        const counted = this.countTokens(body);
        return typeof counted === 'number' ? countTokensReply(res, counted) : wire.error(res, counted);
      }
      const kind: Kind = route.streamed ? 'stream' : 'completion';
      const script = this.perProvider[route.provider][kind].shift() ?? this.shared[kind].shift();
      if (!script)
        return wire.error(res, { kind: 'error', status: route.streamed ? 500 : 503, message: 'The scripted provider has no reply queued for this request.' });
      if (script.kind === 'error') return wire.error(res, script);
      if (script.kind === 'completion') return wire.completion(res, script, route.model);
      return await wire.stream(res, script, route.model);
    } catch (error) {
      // A broken script must fail the test loudly, not hang it.
      if (!res.headersSent) wire.error(res, { kind: 'error', status: 500, message: `Scripted server failed: ${String(error)}` });
      else res.destroy();
    }
  }
}

type Route =
  | { provider: ProviderName; action: 'chat'; streamed: boolean; model: string }
  | { provider: ProviderName; action: 'models' }
  | { provider: ProviderName; action: 'unknown' }
  | { provider: ProviderName; action: 'unsupported'; reason: string }
  | { provider: ProviderName; action: 'refused'; error: ErrorScript }
  | { provider: 'gemini'; action: 'count-tokens' }
  /** Embeddings are answered from the text itself (a hashed bag of words), not from the script queues. */
  | { provider: 'openai' | 'gemini'; action: 'embeddings' };

/** Paths are matched by their ending, so any API version prefix an SDK or a base URL adds is accepted. */
function routeOf(method: string, url: URL, headers: IncomingMessage['headers'], body: Record<string, unknown>): Route {
  const model = String(body['model'] ?? 'model');
  if (method === 'POST' && url.pathname.endsWith('/chat/completions')) return { provider: 'openai', action: 'chat', streamed: body['stream'] === true, model };
  if (method === 'POST' && url.pathname.endsWith('/embeddings')) return { provider: 'openai', action: 'embeddings' };
  if (method === 'POST' && /\/models\/[^/:]+:batchEmbedContents$/.test(url.pathname)) return { provider: 'gemini', action: 'embeddings' };
  if (method === 'POST' && url.pathname.endsWith('/messages')) {
    const refusal = anthropicRefusal(body);
    if (refusal) return { provider: 'anthropic', action: 'refused', error: refusal };
    return { provider: 'anthropic', action: 'chat', streamed: body['stream'] === true, model };
  }
  const gemini = /\/(?:models|tunedModels)\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(url.pathname);
  if (method === 'POST' && gemini) {
    const refusal = geminiRefusal(headers, url, body);
    if (refusal) return { provider: 'gemini', action: 'refused', error: refusal };
    if (gemini[2] === 'countTokens') return { provider: 'gemini', action: 'count-tokens' };
    const streamed = gemini[2] === 'streamGenerateContent';
    // Without alt=sse Gemini streams one JSON array instead of SSE; no SDK asks for that, so an adapter that does is wrong.
    if (streamed && url.searchParams.get('alt') !== 'sse') return { provider: 'gemini', action: 'unsupported', reason: 'Only alt=sse streaming is scripted.' };
    return { provider: 'gemini', action: 'chat', streamed, model: decodeURIComponent(gemini[1] ?? 'model') };
  }
  const provider = providerOfHeaders(url, headers);
  if (method === 'GET' && url.pathname.endsWith('/models')) return { provider, action: 'models' };
  return { provider, action: 'unknown' };
}

/** OpenAI and Anthropic both serve GET /v1/models: the auth headers tell which SDK is asking. */
function providerOfHeaders(url: URL, headers: IncomingMessage['headers']): ProviderName {
  if (headers['x-goog-api-key'] !== undefined || url.searchParams.has('key') || url.pathname.startsWith('/v1beta/')) return 'gemini';
  if (headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined) return 'anthropic';
  return 'openai';
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsable: text };
  }
}
