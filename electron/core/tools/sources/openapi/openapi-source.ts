import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CodaError } from '../../../../../shared/index.js';
import { traceHeaders } from '../../../tracing/propagation.js';
import { CircuitBreaker } from '../../../util/circuit-breaker.js';
import { redactUrl } from '../../secrets/address.js';
import type { McpPrompt, McpResource, McpTool, OpenApiServerConfig, OriginChange, SourceStatus, ToolCallOutcome, ToolSource } from '../source.js';
import { toOperationTools, type OperationTool } from './operations.js';
import { originOf, serviceBase } from './service-origin.js';
import { loadSpec } from './spec.js';

const CACHE_MS = 24 * 60 * 60_000;
const MAX_RESPONSE_CHARS = 2_000_000;

/**
 * An OpenAPI service as a tool source: each operation is a tool, called over HTTP with the configured auth, a
 * timeout and a circuit breaker. The parsed description is cached for 24 hours; `refresh` reads it again. What it
 * sends back (a response that echoes the key, an error that quotes the request) is scrubbed by the decorator every
 * source is behind (../scrubbing-source.ts).
 */
export class OpenApiSource implements ToolSource {
  status: SourceStatus = 'stopped';
  originChange: OriginChange | null = null;
  onChange: (() => void) | null = null;
  /** Operations that could not become tools, with the reason (shown in Settings). */
  skipped: string[] = [];
  private operations = new Map<string, OperationTool>();
  private baseUrl = '';
  private readonly breaker: CircuitBreaker;

  constructor(
    readonly config: OpenApiServerConfig,
    private readonly cacheDir: string,
  ) {
    this.breaker = new CircuitBreaker(config.label, { threshold: 5, cooldownMs: 30_000 });
  }

  async start(refresh = false): Promise<void> {
    if (this.config.unreadableSecrets) {
      this.status = 'failed';
      throw new CodaError('validation', `"${this.config.label}": ${this.config.unreadableSecrets}`);
    }
    this.status = 'connecting';
    this.originChange = null;
    this.operations = new Map();
    let operations: Map<string, OperationTool>;
    try {
      const doc = await this.description(refresh);
      const { tools, skipped } = toOperationTools(doc);
      operations = new Map(tools.map((t) => [t.name, t]));
      this.skipped = skipped;
      this.baseUrl = serviceBase(doc, this.config);
    } catch (error) {
      this.status = 'failed';
      const message = error instanceof Error ? error.message : String(error);
      throw new CodaError('internal', `The OpenAPI service "${this.config.label}" could not be read: ${message}`);
    }
    // Credentials go only where the user confirmed; a description that names another origin gets nothing, not even
    // a listing of its operations for the model, until the user confirms it.
    const origin = originOf(this.baseUrl);
    const confirmed = this.config.origin;
    if (origin !== confirmed) {
      this.status = 'needs-confirmation';
      this.originChange = { from: confirmed, to: origin };
      const change = confirmed
        ? `the origin its calls go to changed from ${confirmed} to ${origin}`
        : `its calls would go to ${origin}, which you have not confirmed`;
      throw new CodaError('conflict', `"${this.config.label}" needs confirmation: ${change}. Nothing is sent there until you confirm it in Settings › Tools.`);
    }
    this.operations = operations;
    this.status = 'ready';
  }

  async tools(): Promise<McpTool[]> {
    return [...this.operations.values()].map((op) => ({ name: op.name, description: op.description, inputSchema: op.inputSchema, readOnly: op.readOnly }));
  }

  async call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome> {
    const op = this.operations.get(name);
    if (!op) throw new CodaError('not_found', `The service "${this.config.label}" has no operation ${name}.`);
    this.breaker.check();
    const url = new URL(this.baseUrl + op.path.replace(/\{([^}]+)\}/g, (_, p: string) => encodeURIComponent(String(args[p] ?? ''))));
    // The answer's trace goes with the call (W3C traceparent), so the service can join it.
    const headers: Record<string, string> = { accept: 'application/json, */*', ...traceHeaders() };
    for (const p of op.parameters) {
      const value = args[p.name];
      if (value === undefined || value === null) continue;
      if (p.in === 'query') for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(p.name, String(v));
      if (p.in === 'header') headers[p.name] = String(value);
    }
    const auth = this.config.auth ?? { type: 'none' };
    if (auth.type === 'bearer') headers['authorization'] = `Bearer ${auth.token}`;
    if (auth.type === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    if (auth.type === 'apiKey' && auth.in === 'header') headers[auth.name] = auth.value;
    if (auth.type === 'apiKey' && auth.in === 'query') url.searchParams.set(auth.name, auth.value);
    if (op.hasBody) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(url, {
        method: op.method,
        headers,
        ...(op.hasBody && args['body'] !== undefined ? { body: JSON.stringify(args['body']) } : {}),
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
    } catch (error) {
      if (options.signal.aborted) throw new CodaError('cancelled', 'Stopped.');
      this.breaker.failure();
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new CodaError('timeout', `${op.method} ${op.path} on "${this.config.label}" did not answer within ${Math.round(options.timeoutMs / 1000)} s.`);
      }
      const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new CodaError('network', `Could not reach "${this.config.label}" at ${url.origin}: ${message}`);
    }
    const text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
    if (response.status >= 500) this.breaker.failure();
    else this.breaker.success();
    let structured: unknown = null;
    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      try {
        structured = JSON.parse(text);
      } catch {
        structured = null;
      }
    }
    if (!response.ok)
      return {
        isError: true,
        text: `HTTP ${response.status} ${response.statusText} from ${op.method} ${op.path}: ${text.slice(0, 2000)}`,
        structured,
        httpStatus: response.status,
      };
    return { isError: false, text: text || `HTTP ${response.status}`, structured, httpStatus: response.status };
  }

  async close(): Promise<void> {
    this.status = 'stopped';
  }

  // An OpenAPI service offers operations only: no prompts or resources.
  async prompts(): Promise<McpPrompt[]> {
    return [];
  }

  async getPrompt(): Promise<string> {
    throw new CodaError('not_found', `The service "${this.config.label}" has no prompts.`);
  }

  async resources(): Promise<McpResource[]> {
    return [];
  }

  async readResource(): Promise<{ text: string; mimeType: string | null }> {
    throw new CodaError('not_found', `The service "${this.config.label}" has no resources.`);
  }

  /** The description from the day-old cache, or read again (and cached). */
  private async description(refresh: boolean) {
    const file = path.join(this.cacheDir, `${this.config.id}.json`);
    // The cache tells which address it came from by a hash of the address without its keys: the address may carry
    // a key in its query (put back from the key store), which must not end up on disk, even hashed.
    const source = createHash('sha256')
      .update(redactUrl(this.config.specUrl ?? ''))
      .digest('hex');
    if (!refresh && !this.config.specText) {
      try {
        const cached = JSON.parse(await readFile(file, 'utf8')) as { at: number; source: string; doc: Awaited<ReturnType<typeof loadSpec>> };
        if (cached.source === source && Date.now() - cached.at < CACHE_MS) return cached.doc;
      } catch {
        // No cache yet, or unreadable: read the description again.
      }
    }
    const doc = await loadSpec({ url: this.config.specUrl, text: this.config.specText });
    if (this.config.specUrl && this.cacheDir) {
      try {
        await mkdir(this.cacheDir, { recursive: true });
        await writeFile(file, JSON.stringify({ at: Date.now(), source, doc }));
      } catch {
        // A description with circular schemas cannot be cached as JSON; it is read again next time.
      }
    }
    return doc;
  }
}

/** Forgets a removed service's cached description. */
export async function removeCachedDescription(cacheDir: string, serverId: string): Promise<void> {
  if (cacheDir) await rm(path.join(cacheDir, `${serverId}.json`), { force: true });
}
