import { Ajv, type ValidateFunction } from 'ajv';
import { CodaError } from '../../../shared/index.js';
import type { ToolDefinition } from '../providers/types.js';
import { ToolSecrets } from '../settings/tool-secrets.js';
import { McpConnection, type McpPrompt, type McpResource, type McpTool, type ServerConfig, type SourceStatus, type ToolCallOutcome } from './mcp-connection.js';
import type { ServerOAuth } from './oauth/server-oauth.js';
import type { ConnectionServices } from './connection-services.js';
import { OpenApiSource, removeCachedDescription } from './openapi/openapi-source.js';

/** What the registry needs of a source of tools: an MCP server (stdio or HTTP) or an OpenAPI service. */
interface ToolSource {
  status: SourceStatus;
  /** Remote MCP servers: their OAuth state (most never ask for it). */
  readonly oauth?: ServerOAuth | null;
  onChange: (() => void) | null;
  start(refresh?: boolean): Promise<void>;
  tools(): Promise<McpTool[]>;
  call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome>;
  prompts(): Promise<McpPrompt[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<string>;
  resources(): Promise<McpResource[]>;
  readResource(uri: string): Promise<{ text: string; mimeType: string | null }>;
  close(): Promise<void>;
}

export interface RegisteredTool extends McpTool {
  /** The name the model sees: server and tool, in the characters every provider accepts. */
  id: string;
  server: string;
}

/** What the evaluation records about one call (stored on the tool call row). */
export interface CallEvaluation {
  schemaValid: boolean;
  problems: string[];
  durationMs: number;
  outputChars: number;
  truncated: boolean;
}

export interface ExecutedCall {
  tool: RegisteredTool | null;
  server: string;
  name: string;
  input: unknown;
  isError: boolean;
  /** What goes back to the model (capped). */
  modelText: string;
  /** The whole output, kept in the store. */
  output: unknown;
  evaluation: CallEvaluation;
}

/** An enabled server whose tools could not be offered to the model this time, and why. */
export interface UnavailableServer {
  server: string;
  label: string;
  signInNeeded: boolean;
  message: string;
}

export interface ToolRegistryOptions {
  timeoutMs?: number;
  /** Where OpenAPI descriptions are cached. */
  cacheDir?: string;
  /** Longest tool output sent back to the model; the rest is kept but not sent. */
  maxModelChars?: number;
  /** Secrets and user-facing hooks handed to each source; tests may leave it out (secrets then live in memory). */
  services?: ConnectionServices;
}

const TOOL_ID_SEPARATOR = '__';

/** Tools from every configured MCP server, started on first use, with validated, timed, evaluated calls. */
export class ToolRegistry {
  private readonly connections = new Map<string, ToolSource>();
  private readonly tools = new Map<string, RegisteredTool>();
  /** Each running server's tool list, asked once per start (not before every model turn). */
  private readonly listed = new Map<string, RegisteredTool[]>();
  private readonly failures = new Map<string, string>();
  private readonly backoff = new Map<string, { attempts: number; until: number }>();
  /** Starts under way, shared by everyone who needs the same server meanwhile. */
  private readonly starting = new Map<string, Promise<void>>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly timeoutMs: number;
  private readonly maxModelChars: number;
  private readonly cacheDir: string;
  private readonly services: ConnectionServices;
  /** Sources to read afresh on their next start (an OpenAPI description, say). */
  private readonly refreshNext = new Set<string>();

  /** Told when a server's state changed on its own (a sign-in finished, a connection dropped), for the UI. */
  onServersChanged: ((serverId: string) => void) | null = null;

  /** `configs` is read on each use, so servers the user adds, confirms or removes take effect at once. */
  constructor(
    private readonly configs: () => ServerConfig[],
    options: ToolRegistryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxModelChars = options.maxModelChars ?? 16_000;
    this.cacheDir = options.cacheDir ?? '';
    this.services = options.services ?? { secrets: ToolSecrets.inMemory() };
  }

  /**
   * Tools of the enabled servers ("*" for every configured one), as definitions for the model. A server that
   * fails to start is left out (its status says why) rather than failing the whole answer.
   */
  async definitions(enabledServers: string[]): Promise<{ tools: RegisteredTool[]; definitions: ToolDefinition[]; unavailable: UnavailableServer[] }> {
    const tools: RegisteredTool[] = [];
    const unavailable: UnavailableServer[] = [];
    const all = enabledServers.includes('*');
    for (const config of this.configs().filter((c) => all || enabledServers.includes(c.id))) {
      try {
        tools.push(...(await this.toolsOf(config)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.failures.set(config.id, message);
        unavailable.push({ server: config.id, label: config.label, signInNeeded: error instanceof CodaError && error.code === 'sign_in_required', message });
      }
    }
    return { tools, definitions: tools.map((t) => ({ name: t.id, description: t.description, parameters: t.inputSchema })), unavailable };
  }

  async execute(toolId: string, argumentsJson: string, signal: AbortSignal): Promise<ExecutedCall> {
    const started = performance.now();
    const tool = this.tools.get(toolId) ?? null;
    const [server = '', name = toolId] = tool ? [tool.server, tool.name] : toolId.split(TOOL_ID_SEPARATOR);
    const finish = (isError: boolean, text: string, output: unknown, input: unknown, schemaValid: boolean, problems: string[]): ExecutedCall => {
      const truncated = text.length > this.maxModelChars;
      const modelText = truncated
        ? `${text.slice(0, this.maxModelChars)}\n[Output truncated: ${text.length.toLocaleString('en')} characters in all; the first ${this.maxModelChars.toLocaleString('en')} are shown.]`
        : text;
      return {
        tool,
        server,
        name,
        input,
        isError,
        modelText,
        output,
        evaluation: { schemaValid, problems, durationMs: Math.round(performance.now() - started), outputChars: text.length, truncated },
      };
    };

    let input: unknown;
    try {
      input = JSON.parse(argumentsJson || '{}');
    } catch {
      return finish(true, `The arguments for ${toolId} are not valid JSON: ${argumentsJson.slice(0, 200)}`, null, argumentsJson, false, ['arguments are not JSON']);
    }
    if (!tool) {
      const known = [...this.tools.keys()].join(', ');
      return finish(true, `There is no tool named ${toolId}. Available tools: ${known || 'none'}.`, null, input, false, ['unknown tool']);
    }
    const validate = this.validator(tool);
    if (!validate(input)) {
      const issues = (validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`);
      return finish(true, `Invalid arguments for ${toolId}: ${issues.join('; ')}. Fix them and call it again.`, null, input, false, ['input does not match the schema', ...issues]);
    }
    try {
      const timeoutMs = this.configs().find((c) => c.id === tool.server)?.timeoutMs ?? this.timeoutMs;
      const outcome = await this.connection(tool.server).call(tool.name, input as Record<string, unknown>, { signal, timeoutMs });
      const problems: string[] = [];
      if (outcome.isError) problems.push('the tool reported an error');
      if (!outcome.text.trim() && outcome.structured === null) problems.push('empty output');
      return finish(outcome.isError, outcome.text || '(no output)', outcome.structured ?? outcome.text, input, true, problems);
    } catch (error) {
      if (error instanceof CodaError && error.code === 'cancelled') throw error;
      const message = error instanceof Error ? error.message : String(error);
      return finish(true, message, null, input, true, [error instanceof CodaError && error.code === 'timeout' ? 'timed out' : 'call failed']);
    }
  }

  /** Prompts of the enabled servers, for the composer's slash commands. */
  async prompts(enabledServers: string[]): Promise<(McpPrompt & { id: string; server: string })[]> {
    return this.collect(enabledServers, async (id, source) => (await source.prompts()).map((p) => ({ ...p, server: id, id: toolId(id, p.name) })));
  }

  async getPrompt(server: string, name: string, args: Record<string, string>): Promise<string> {
    await this.definitions([server]);
    return this.connection(server).getPrompt(name, args);
  }

  /** Resources of the enabled servers, to attach to a message. */
  async resources(enabledServers: string[]): Promise<(McpResource & { server: string })[]> {
    return this.collect(enabledServers, async (id, source) => (await source.resources()).map((r) => ({ ...r, server: id })));
  }

  async readResource(server: string, uri: string): Promise<{ text: string; mimeType: string | null }> {
    await this.definitions([server]);
    return this.connection(server).readResource(uri);
  }

  /** Starts the enabled servers (as listing their tools does) and gathers something from each that is ready. */
  private async collect<T>(enabledServers: string[], from: (id: string, source: ToolSource) => Promise<T[]>): Promise<T[]> {
    await this.definitions(enabledServers);
    const all = enabledServers.includes('*');
    const out: T[] = [];
    for (const config of this.configs().filter((c) => all || enabledServers.includes(c.id))) {
      const source = this.connections.get(config.id);
      if (source?.status !== 'ready') continue;
      try {
        out.push(...(await from(config.id, source)));
      } catch {
        // A server that cannot list these simply offers none.
      }
    }
    return out;
  }

  /** The tool as the model named it, if known. */
  find(toolId: string): RegisteredTool | undefined {
    return this.tools.get(toolId);
  }

  /** Each configured server's state, for Settings › Tools. */
  status(serverId: string): { status: SourceStatus; error: string | null; toolCount: number; signInUrl: string | null; signedIn: boolean | null } {
    const connection = this.connections.get(serverId);
    const failure = this.failures.get(serverId) ?? null;
    const live = connection?.status ?? 'stopped';
    return {
      status: live === 'ready' || live === 'needs-sign-in' || !failure ? live : 'failed',
      error: live === 'ready' ? null : failure,
      toolCount: this.listed.get(serverId)?.length ?? 0,
      signInUrl: connection?.oauth?.signInUrl ?? null,
      // Known only while connected; the server list fills in the rest from the saved tokens.
      signedIn: connection?.oauth ? connection.oauth.signedIn : null,
    };
  }

  /** A removed server: stopped, and its cached OpenAPI description gone. */
  async forget(serverId: string): Promise<void> {
    await this.stop(serverId);
    await removeCachedDescription(this.cacheDir, serverId);
  }

  /** Forgets a server's OAuth tokens and registration; it signs in afresh on next use. */
  async signOut(serverId: string): Promise<void> {
    const source = this.connection(serverId);
    source.oauth?.signOut();
    await this.restart(serverId);
  }

  /** Stops a server (removed, or to restart it); its tools are listed again on next use. */
  async stop(serverId: string): Promise<void> {
    const connection = this.connections.get(serverId);
    this.connections.delete(serverId);
    this.listed.delete(serverId);
    this.failures.delete(serverId);
    this.backoff.delete(serverId);
    for (const [id, tool] of this.tools) if (tool.server === serverId) this.tools.delete(id);
    await connection?.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    this.connections.clear();
  }

  private async toolsOf(config: ServerConfig): Promise<RegisteredTool[]> {
    const connection = this.connection(config.id);
    const cached = this.listed.get(config.id);
    if (cached && connection.status === 'ready') return cached;
    if (connection.status !== 'ready') {
      // A server that keeps failing is restarted with growing pauses (1 s, 2 s, 4 s… up to a minute), not on every turn.
      const backoff = this.backoff.get(config.id);
      // Waiting for the user to sign in: asking again changes nothing (and would wake Settings in a loop).
      if (connection.status === 'needs-sign-in') throw new CodaError('sign_in_required', this.failures.get(config.id) ?? `"${config.label}" needs you to sign in: open Settings › Tools.`);
      if (backoff && Date.now() < backoff.until) throw new Error(`${this.failures.get(config.id) ?? 'It failed.'} Trying again in ${Math.ceil((backoff.until - Date.now()) / 1000)} s.`);
      // A new tool list, a dropped connection or a finished sign-in means the list must be asked again.
      connection.onChange = () => {
        this.listed.delete(config.id);
        this.onServersChanged?.(config.id);
      };
      await this.startOnce(config, connection, backoff);
    }
    this.failures.delete(config.id);
    const listed = await connection.tools();
    const registered = listed.map((tool) => ({ ...tool, server: config.id, id: toolId(config.id, tool.name) }));
    for (const tool of registered) this.tools.set(tool.id, tool);
    this.listed.set(config.id, registered);
    return registered;
  }

  /**
   * Starts a source, once even when several callers want it at the same time (a chat turn, Settings, prestart):
   * two starts of one server would run two sign-ins, or two processes. The UI hears of it only when its state
   * changed, so a reload of Settings can never wake itself.
   */
  private startOnce(config: ServerConfig, connection: ToolSource, backoff: { attempts: number } | undefined): Promise<void> {
    let starting = this.starting.get(config.id);
    if (!starting) {
      const before = connection.status;
      starting = connection
        .start(this.refreshNext.delete(config.id))
        .then(
          () => {
            this.backoff.delete(config.id);
          },
          (error: unknown) => {
            // Waiting for the user to sign in is not a fault to back off from; anything else is.
            if (!(error instanceof CodaError && error.code === 'sign_in_required' && connection.status === 'needs-sign-in')) {
              const attempts = (backoff?.attempts ?? 0) + 1;
              this.backoff.set(config.id, { attempts, until: Date.now() + Math.min(60_000, 1000 * 2 ** (attempts - 1)) });
            }
            throw error;
          },
        )
        .finally(() => {
          this.starting.delete(config.id);
          if (connection.status !== before) this.onServersChanged?.(config.id);
        });
      this.starting.set(config.id, starting);
    }
    return starting;
  }

  /** Stops a source and reads it afresh on its next use. */
  async restart(serverId: string): Promise<void> {
    await this.stop(serverId);
    this.refreshNext.add(serverId);
  }

  private connection(serverId: string): ToolSource {
    let connection = this.connections.get(serverId);
    if (!connection) {
      const config = this.configs().find((c) => c.id === serverId);
      if (!config) throw new CodaError('not_found', `No tool server "${serverId}" is configured.`);
      connection = config.transport === 'openapi' ? new OpenApiSource(config, this.cacheDir, this.services) : new McpConnection(config, this.services);
      this.connections.set(serverId, connection);
    }
    return connection;
  }

  private validator(tool: RegisteredTool): ValidateFunction {
    let validate = this.validators.get(tool.id);
    if (!validate) {
      validate = this.ajv.compile(tool.inputSchema);
      this.validators.set(tool.id, validate);
    }
    return validate;
  }
}

/** Providers accept tool names of [A-Za-z0-9_-], at most 64 characters. */
export function toolId(server: string, tool: string): string {
  return `${server}${TOOL_ID_SEPARATOR}${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}
