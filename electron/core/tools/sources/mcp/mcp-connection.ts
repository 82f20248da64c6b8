import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { CodaError } from '../../../../../shared/index.js';
import { tracedFetch } from '../../../tracing/propagation.js';
import { APP_VERSION } from '../../../version.js';
import { ElicitationResponder } from '../../elicitation/responder.js';
import type { ConnectionServices } from '../services.js';
import type { HttpServerConfig, McpPrompt, McpResource, McpTool, SourceStatus, StdioServerConfig, ToolCallOutcome, ToolSource } from '../source.js';
import { ServerOAuth } from './oauth/server-oauth.js';
import { serviceAccountProvider } from './oauth/service-account.js';

const STDERR_TAIL = 4_000;
/** The longest timer Node allows: the SDK's own limit is kept out of the way (see callOnce). */
const NO_SDK_TIMEOUT = 2_147_483_647;

/**
 * One MCP server, over stdio or HTTP: starts it, signs in where it asks for OAuth, lists its tools, calls them with
 * a timeout, keeps the tail of its stderr. Its messages may quote an address with its keys, a header or whatever the
 * server printed: the scrubbing decorator (../scrubbing-source.ts) takes the secrets out before anyone sees them.
 */
export class McpConnection implements ToolSource {
  private client: Client | null = null;
  private transport: StreamableHTTPClientTransport | SSEClientTransport | null = null;
  private stderrTail = '';
  /** The server's questions to the user (elicitation) and the call time limits they pause. */
  private readonly questions = new ElicitationResponder();
  private closed = false;
  status: SourceStatus = 'stopped';
  /** An MCP server's address is what the user confirmed; no description can move it elsewhere. */
  readonly originChange = null;
  /** HTTP servers: OAuth, used only if the server answers 401. */
  readonly oauth: ServerOAuth | null;

  constructor(
    readonly config: StdioServerConfig | HttpServerConfig,
    private readonly services?: ConnectionServices,
  ) {
    // The user's own sign-in, unless the server is used as a service (client credentials, set up when connecting).
    this.oauth =
      config.transport === 'http' && services && config.oauth?.grant !== 'client_credentials'
        ? new ServerOAuth(config, config.oauth ?? {}, services.secrets, services.signIn)
        : null;
  }

  /** Called when the server's tool list changes (`notifications/tools/list_changed`) or the connection drops. */
  onChange: (() => void) | null = null;

  async start(): Promise<void> {
    const config = this.config;
    if (this.closed) throw new CodaError('cancelled', `The tool server "${config.label}" was stopped.`);
    if (this.oauth?.waiting) throw this.signInRequired(`"${config.label}" needs you to sign in`);
    if (config.unreadableSecrets) {
      this.status = 'failed';
      throw new CodaError('validation', `"${config.label}": ${config.unreadableSecrets}`);
    }
    this.status = 'connecting';
    try {
      this.client = config.transport === 'http' ? await this.connectHttp(config) : await this.connectStdio(config);
    } catch (error) {
      if (error instanceof CodaError && error.code === 'sign_in_required') {
        this.status = this.oauth?.waiting ? 'needs-sign-in' : 'failed';
        throw error;
      }
      if (error instanceof CodaError && (error.code === 'validation' || error.code === 'cancelled')) {
        this.status = 'failed';
        throw error;
      }
      this.status = 'failed';
      const verb = config.transport === 'http' ? 'could not be reached' : 'did not start';
      throw new CodaError('internal', `The tool server "${config.label}" ${verb}: ${describe(error)}${this.tail()}`);
    }
    this.status = 'ready';
  }

  private async connectStdio(config: StdioServerConfig): Promise<Client> {
    if (config.launch) {
      const launched = config.launch(getDefaultEnvironment());
      launched.stderr?.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
      });
      return this.connect(launched.transport);
    }
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...config.env },
      ...(config.cwd ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    return this.connect(transport);
  }

  /** Streamable HTTP first; a server that refuses it (an older one) gets the SSE transport, as the MCP spec advises. */
  private async connectHttp(config: HttpServerConfig): Promise<Client> {
    const url = new URL(config.url);
    const authProvider = this.oauth ?? serviceAccountProvider(config, config.oauth ?? {});
    // tracedFetch: each request carries the answer's trace (W3C traceparent), so the server can join it.
    const options = { requestInit: { headers: config.headers ?? {} }, fetch: tracedFetch, ...(authProvider ? { authProvider } : {}) };
    await this.oauth?.prepare();
    // A 401 on either transport means signing in, then connecting afresh (a transport starts only once).
    const attempt = async (make: () => StreamableHTTPClientTransport | SSEClientTransport): Promise<Client> => {
      const transport = make();
      try {
        return await this.connect(transport);
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        await this.signIn(transport, `"${config.label}" needs you to sign in`);
        return await this.connect(make());
      }
    };
    try {
      return await attempt(() => new StreamableHTTPClientTransport(url, options));
    } catch (error) {
      // Our own errors (a sign-in to wait for, a stop) are answers, not a transport the server refused.
      if (error instanceof CodaError) throw error;
      try {
        return await attempt(() => new SSEClientTransport(url, options));
      } catch (sseError) {
        throw sseError instanceof CodaError ? sseError : error;
      }
    }
  }

  /**
   * Finishes a sign-in the server asked for: the code from the browser is exchanged on the transport that started
   * it. Hosts that wait (the CLI) get it done inline; the app fails fast with `sign_in_required`, and the user signs
   * in from Settings › Tools while this finishes it in the background and reconnects.
   */
  private async signIn(transport: StreamableHTTPClientTransport | SSEClientTransport, reason: string): Promise<void> {
    const oauth = this.oauth;
    const pending = oauth?.takeCode();
    if (!oauth || !pending) throw this.signInRequired(reason);
    const exchanged = pending.then((code) => {
      if (oauth.isClosed) throw new CodaError('cancelled', `"${this.config.label}" was stopped during its sign-in.`);
      return transport.finishAuth(code);
    });
    exchanged.catch(() => undefined);
    if (oauth.waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(this.signInRequired(`${reason}, and the sign-in was not finished in time`)), oauth.waitMs);
      });
      try {
        await Promise.race([exchanged, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return;
    }
    void exchanged.then(
      async () => {
        if (this.closed || this.status === 'ready') return this.onChange?.();
        await this.start().catch(() => undefined);
        this.onChange?.();
      },
      () => {
        if (this.status === 'needs-sign-in') this.status = 'failed';
        this.onChange?.();
      },
    );
    throw this.signInRequired(reason);
  }

  private signInRequired(reason: string): CodaError {
    return new CodaError('sign_in_required', `${reason}: open Settings › Tools and choose Sign in.`, { server: this.config.id });
  }

  private async connect(transport: Transport): Promise<Client> {
    const client = new Client({ name: 'coda-agent', version: APP_VERSION }, { capabilities: ElicitationResponder.capabilities });
    this.questions.listen(client, this.config, this.services);
    await client.connect(transport);
    if (transport instanceof StreamableHTTPClientTransport || transport instanceof SSEClientTransport) this.transport = transport;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.onChange?.());
    // The client's own hook: it has already failed the calls in flight when this runs.
    client.onclose = () => {
      if (this.status === 'ready') {
        this.status = 'failed';
        this.onChange?.();
      }
    };
    return client;
  }

  async tools(): Promise<McpTool[]> {
    const { tools } = await this.signedIn('to list its tools', () => this.ready().listTools());
    return tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? tool.title ?? tool.name,
      inputSchema: tool.inputSchema as Record<string, unknown>,
      readOnly: tool.annotations?.readOnlyHint === true,
    }));
  }

  async call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome> {
    return this.signedIn(`for ${name}`, () => this.callOnce(name, args, options));
  }

  /**
   * Runs a request; if the server wants a sign-in first (a token expired beyond refresh, or the request needs more
   * scopes: step-up), signs in and runs it once more.
   */
  private async signedIn<T>(purpose: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !this.transport) throw error;
      await this.signIn(this.transport, `"${this.config.label}" needs you to sign in again ${purpose}`);
      return await request();
    }
  }

  private async callOnce(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome> {
    // Our own time limit rather than the SDK's, so time spent waiting on the user (elicitation) does not count.
    const deadline = this.questions.deadline(options.timeoutMs);
    try {
      const signal = AbortSignal.any([options.signal, deadline.signal]);
      const result = await this.ready().callTool({ name, arguments: args }, undefined, { signal, timeout: NO_SDK_TIMEOUT });
      const content = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
      const text = content.map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type}]`)).join('\n');
      return { isError: result.isError === true, text, structured: result.structuredContent ?? null, httpStatus: null };
    } catch (error) {
      if (options.signal.aborted) throw new CodaError('cancelled', 'Stopped.');
      if (error instanceof UnauthorizedError) throw error;
      const message = describe(error);
      if (deadline.expired || /timed out|timeout/i.test(message)) {
        throw new CodaError('timeout', `The tool ${name} on "${this.config.label}" did not answer within ${Math.round(options.timeoutMs / 1000)} s.`);
      }
      throw new CodaError('internal', `The tool ${name} on "${this.config.label}" failed: ${message}${this.status === 'failed' ? this.tail() : ''}`);
    } finally {
      this.questions.release(deadline);
    }
  }

  async prompts(): Promise<McpPrompt[]> {
    const client = this.ready();
    if (!client.getServerCapabilities()?.prompts) return [];
    const { prompts } = await this.signedIn('to list its prompts', () => client.listPrompts());
    return prompts.map((p) => ({
      name: p.name,
      description: p.description ?? p.title ?? p.name,
      arguments: (p.arguments ?? []).map((a) => ({ name: a.name, description: a.description ?? '', required: a.required === true })),
    }));
  }

  /** A prompt's messages as one text for the composer. */
  async getPrompt(name: string, args: Record<string, string>): Promise<string> {
    const result = await this.signedIn(`for the prompt ${name}`, () => this.ready().getPrompt({ name, arguments: args }));
    return result.messages
      .map((m) =>
        m.content.type === 'text'
          ? m.content.text
          : m.content.type === 'resource' && 'text' in m.content.resource
            ? String(m.content.resource.text)
            : `[${m.content.type}]`,
      )
      .join('\n\n');
  }

  async resources(): Promise<McpResource[]> {
    const client = this.ready();
    if (!client.getServerCapabilities()?.resources) return [];
    const { resources } = await this.signedIn('to list its resources', () => client.listResources());
    return resources.map((r) => ({ uri: r.uri, name: r.name, description: r.description ?? '', mimeType: r.mimeType ?? null }));
  }

  /** A resource's text (binary contents are described, not inlined). */
  async readResource(uri: string): Promise<{ text: string; mimeType: string | null }> {
    const { contents } = await this.signedIn(`to read ${uri}`, () => this.ready().readResource({ uri }));
    const text = contents
      .map((c) => ('text' in c ? String(c.text) : `[binary ${c.mimeType ?? 'data'}, ${String(c.blob).length} base64 characters]`))
      .join('\n');
    return { text, mimeType: contents[0]?.mimeType ?? null };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.closed = true;
    this.oauth?.close();
    this.client = null;
    this.transport = null;
    this.status = 'stopped';
    await client?.close().catch(() => undefined);
  }

  private ready(): Client {
    if (!this.client || this.status !== 'ready') {
      throw new CodaError('internal', `The tool server "${this.config.label}" is not running.${this.tail()}`);
    }
    return this.client;
  }

  private tail(): string {
    const tail = this.stderrTail.trim();
    return tail ? ` Its last output: ${tail.slice(-500)}` : '';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
