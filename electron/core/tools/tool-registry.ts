import type { ValidateFunction } from 'ajv';
import { CodaError, type ToolCallEvaluation, type ToolCallProblem } from '../../../shared/index.js';
import type { ToolDefinition } from '../providers/types.js';
import { ToolSecrets } from '../settings/tool-secrets.js';
import { NO_KNOWN_LISTS, type KnownToolLists } from './known-tools.js';
import { createSource } from './sources/create-source.js';
import type { ConnectionServices } from './sources/services.js';
import { Validators } from './validators.js';
import type { McpPrompt, McpResource, McpTool, OriginChange, ServerConfig, SourceStatus, ToolSource } from './sources/source.js';

export interface RegisteredTool extends McpTool {
  /** The name the model sees: server and tool, in the characters every provider accepts. */
  id: string;
  server: string;
  /** The server's name as the user gave it (what approvals show). */
  serverLabel: string;
}

/** What the registry finds about one call; the runner completes it into the call's ToolCallEvaluation. */
export type CallEvaluation = Pick<ToolCallEvaluation, 'arguments' | 'problems' | 'durationMs' | 'outputChars' | 'httpStatus'>;

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
  /** Tool lists known without starting their servers (see `KnownToolLists`); none when left out. */
  knownTools?: KnownToolLists;
}

/**
 * Everything the registry knows about one server while it is in use, in one object: stopping the server drops it
 * whole, so nothing of a stopped server (its tools, their schemas, a failure, a backoff) outlives it.
 */
interface ServerState {
  readonly source: ToolSource;
  /** Its tools as last listed in this start (or, per `listedBy`, as known before it runs); null until either. */
  tools: RegisteredTool[] | null;
  /** Who gave `tools`: the server itself in this start, the build, or a list kept from an earlier run. */
  listedBy: 'server' | 'build' | 'kept';
  /** Tools offered from a known list that the started server did not list: a call to one is told so. */
  withdrawn: Set<string>;
  /** The server said its list changed (or its connection dropped, or a sign-in finished): list again before use. */
  stale: boolean;
  /** Argument validators compiled from the schemas of `tools`; they go with the list they came from. */
  validators: Validators;
  failure: string | null;
  /** A server that keeps failing is restarted with growing pauses (1 s, 2 s, 4 s… up to a minute), not on every turn. */
  backoff: { attempts: number; until: number } | null;
  /** The start under way, shared by everyone who needs the server meanwhile. */
  starting: Promise<void> | null;
  /** Read the source afresh (not from a cache) when it starts: it was restarted on purpose. */
  refresh: boolean;
}

const TOOL_ID_SEPARATOR = '__';

/** Tools from every configured MCP server, started on first use, with validated, timed, evaluated calls. */
export class ToolRegistry {
  private readonly servers = new Map<string, ServerState>();
  private readonly timeoutMs: number;
  private readonly maxModelChars: number;
  private readonly cacheDir: string;
  private readonly services: ConnectionServices;
  private readonly knownTools: KnownToolLists;

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
    this.knownTools = options.knownTools ?? NO_KNOWN_LISTS;
  }

  /**
   * Tools of the enabled servers ("*" for every configured one), as definitions for the model. A server that
   * fails to start is left out (its status says why) rather than failing the whole answer. A server whose tools are
   * known without it is not started for this unless `live` (prestart, prompts, resources, Settings): a call starts
   * it. Lists kept from an earlier run are offered only to an answer's request (`answer`); everything else shows
   * what the servers list now.
   */
  async definitions(
    enabledServers: string[],
    options: { live?: boolean; answer?: boolean } = {},
  ): Promise<{ tools: RegisteredTool[]; definitions: ToolDefinition[]; unavailable: UnavailableServer[] }> {
    const tools: RegisteredTool[] = [];
    const unavailable: UnavailableServer[] = [];
    const use = options.live ? 'live' : options.answer ? 'answer' : 'list';
    for (const config of this.enabled(enabledServers)) {
      const state = this.state(config);
      try {
        tools.push(...(await this.toolsOf(config, state, use)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        state.failure = message;
        unavailable.push({ server: config.id, label: config.label, signInNeeded: error instanceof CodaError && error.code === 'sign_in_required', message });
      }
    }
    return { tools, definitions: tools.map((t) => ({ name: t.id, description: t.description, parameters: t.inputSchema })), unavailable };
  }

  async execute(toolId: string, argumentsJson: string, signal: AbortSignal): Promise<ExecutedCall> {
    const started = performance.now();
    // A server that changed its tools since they were listed is asked again, so the call meets today's schema.
    const tool = (await this.resolve(toolId)) ?? null;
    const [server = '', name = toolId] = tool ? [tool.server, tool.name] : toolId.split(TOOL_ID_SEPARATOR);
    const finish = (
      isError: boolean,
      text: string,
      output: unknown,
      input: unknown,
      args: CallEvaluation['arguments'],
      found: ToolCallProblem[],
      httpStatus: number | null = null,
    ): ExecutedCall => {
      const truncated = text.length > this.maxModelChars;
      const modelText = truncated
        ? `${text.slice(0, this.maxModelChars)}\n[Output truncated: ${text.length.toLocaleString('en')} characters in all; the first ${this.maxModelChars.toLocaleString('en')} are shown.]`
        : text;
      const problems: ToolCallProblem[] = truncated ? [...found, { kind: 'truncated', outputChars: text.length, sentChars: this.maxModelChars }] : found;
      return {
        tool,
        server,
        name,
        input,
        isError,
        modelText,
        output,
        evaluation: { arguments: args, problems, durationMs: Math.round(performance.now() - started), outputChars: text.length, httpStatus },
      };
    };

    let input: unknown;
    try {
      input = JSON.parse(argumentsJson || '{}');
    } catch {
      return finish(true, `The arguments for ${toolId} are not valid JSON: ${argumentsJson.slice(0, 200)}`, null, argumentsJson, 'invalid', [
        { kind: 'invalid-json' },
      ]);
    }
    const state = tool ? this.servers.get(tool.server) : undefined;
    if (!tool || !state) {
      const known = [...this.servers.values()].flatMap((s) => (s.tools ?? []).map((t) => t.id)).join(', ');
      // Offered from a list known before its server ran, which the started server no longer has.
      const goneFrom = [...this.servers].find(([, s]) => s.withdrawn.has(toolId))?.[0];
      const gone = goneFrom === undefined ? undefined : (this.configs().find((c) => c.id === goneFrom)?.label ?? goneFrom);
      const why = gone
        ? `${toolId} is no longer a tool of "${gone}": the server's tools changed since it was last started.`
        : `There is no tool named ${toolId}.`;
      return finish(true, `${why} Available tools: ${known || 'none'}.`, null, input, 'unchecked', [{ kind: 'unknown-tool' }]);
    }
    // Offered from its known list, its server could not start for the call: the call fails with the reason.
    if (state.source.status !== 'ready')
      return finish(true, state.failure ?? `The server of ${toolId} is not running.`, null, input, 'unchecked', [{ kind: 'call-failed' }]);
    let validate: ValidateFunction;
    try {
      validate = state.validators.for(tool);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return finish(true, `${toolId} cannot be called: its server gave an input schema that is not valid JSON Schema (${reason}).`, null, input, 'unchecked', [
        { kind: 'invalid-schema' },
      ]);
    }
    if (!validate(input)) {
      const issues = (validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`);
      return finish(true, `Invalid arguments for ${toolId}: ${issues.join('; ')}. Fix them and call it again.`, null, input, 'invalid', [
        { kind: 'schema-mismatch', issues },
      ]);
    }
    try {
      const timeoutMs = this.configs().find((c) => c.id === tool.server)?.timeoutMs ?? this.timeoutMs;
      const outcome = await state.source.call(tool.name, input as Record<string, unknown>, { signal, timeoutMs });
      const problems: ToolCallProblem[] = [];
      if (outcome.isError) problems.push({ kind: 'tool-error' });
      if (outcome.httpStatus !== null && outcome.httpStatus >= 400) problems.push({ kind: 'http-status', status: outcome.httpStatus });
      if (!outcome.text.trim() && outcome.structured === null) problems.push({ kind: 'empty-output' });
      return finish(outcome.isError, outcome.text || '(no output)', outcome.structured ?? outcome.text, input, 'valid', problems, outcome.httpStatus);
    } catch (error) {
      if (error instanceof CodaError && error.code === 'cancelled') throw error;
      const message = error instanceof Error ? error.message : String(error);
      return finish(true, message, null, input, 'valid', [{ kind: error instanceof CodaError && error.code === 'timeout' ? 'timed-out' : 'call-failed' }]);
    }
  }

  /** Prompts of the enabled servers, for the composer's slash commands. */
  async prompts(enabledServers: string[]): Promise<(McpPrompt & { id: string; server: string })[]> {
    return this.collect(enabledServers, async (id, source) => (await source.prompts()).map((p) => ({ ...p, server: id, id: toolId(id, p.name) })));
  }

  async getPrompt(server: string, name: string, args: Record<string, string>): Promise<string> {
    await this.definitions([server], { live: true });
    return this.source(server).getPrompt(name, args);
  }

  /** Resources of the enabled servers, to attach to a message. */
  async resources(enabledServers: string[]): Promise<(McpResource & { server: string })[]> {
    return this.collect(enabledServers, async (id, source) => (await source.resources()).map((r) => ({ ...r, server: id })));
  }

  async readResource(server: string, uri: string): Promise<{ text: string; mimeType: string | null }> {
    await this.definitions([server], { live: true });
    return this.source(server).readResource(uri);
  }

  /** Starts the enabled servers (as listing their tools does) and gathers something from each that is ready. */
  private async collect<T>(enabledServers: string[], from: (id: string, source: ToolSource) => Promise<T[]>): Promise<T[]> {
    await this.definitions(enabledServers, { live: true });
    const out: T[] = [];
    for (const config of this.enabled(enabledServers)) {
      const source = this.servers.get(config.id)?.source;
      if (source?.status !== 'ready') continue;
      try {
        out.push(...(await from(config.id, source)));
      } catch {
        // A server that cannot list these simply offers none.
      }
    }
    return out;
  }

  /** The tool as the model named it, if known: from its server's latest list. */
  find(toolId: string): RegisteredTool | undefined {
    for (const state of this.servers.values()) {
      const tool = state.tools?.find((t) => t.id === toolId);
      if (tool) return tool;
    }
    return undefined;
  }

  /** Each configured server's state, for Settings › Tools. */
  status(serverId: string): {
    status: SourceStatus;
    error: string | null;
    toolCount: number;
    signInUrl: string | null;
    signedIn: boolean | null;
    originChange: OriginChange | null;
  } {
    const state = this.servers.get(serverId);
    const failure = state?.failure ?? null;
    const live = state?.source.status ?? 'stopped';
    const oauth = state?.source.oauth;
    return {
      status: live === 'ready' || live === 'needs-sign-in' || live === 'needs-confirmation' || !failure ? live : 'failed',
      originChange: state?.source.originChange ?? null,
      error: live === 'ready' ? null : failure,
      // A list kept from an earlier run is for answers only: Settings counts what the server lists now.
      toolCount: state?.listedBy === 'kept' ? 0 : (state?.tools?.length ?? 0),
      signInUrl: oauth?.signInUrl ?? null,
      // Known only while connected; the server list fills in the rest from the saved tokens.
      signedIn: oauth ? oauth.signedIn : null,
    };
  }

  /** A removed server: stopped, its kept tool list and cached OpenAPI description gone. */
  async forget(serverId: string): Promise<void> {
    this.knownTools.forget(serverId);
    await this.stop(serverId);
    await (await import('./sources/openapi/openapi-source.js')).removeCachedDescription(this.cacheDir, serverId);
  }

  /** Stops a server (removed, or to restart it): everything known about it goes; its tools are listed again on next use. */
  async stop(serverId: string): Promise<void> {
    const state = this.servers.get(serverId);
    this.servers.delete(serverId);
    await state?.source.close();
  }

  /**
   * Stops a source and reads it afresh (its description, say) on its next use. A restart on purpose (new secrets, a
   * sign-out) also drops its kept list: the next answer waits for what the server lists then.
   */
  async restart(serverId: string): Promise<void> {
    this.knownTools.forget(serverId);
    await this.stop(serverId);
    const config = this.configs().find((c) => c.id === serverId);
    if (config) this.state(config).refresh = true;
  }

  async close(): Promise<void> {
    const states = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(states.map((s) => s.source.close()));
  }

  private enabled(enabledServers: string[]): ServerConfig[] {
    const all = enabledServers.includes('*');
    return this.configs().filter((c) => all || enabledServers.includes(c.id));
  }

  /** The server's state, created (with its source, not yet started) on first use. */
  private state(config: ServerConfig): ServerState {
    let state = this.servers.get(config.id);
    if (!state) {
      const source = createSource(config, this.services, this.cacheDir);
      state = {
        source,
        tools: null,
        listedBy: 'server',
        withdrawn: new Set(),
        stale: false,
        validators: new Validators(),
        failure: null,
        backoff: null,
        starting: null,
        refresh: false,
      };
      this.servers.set(config.id, state);
    }
    return state;
  }

  private source(serverId: string): ToolSource {
    const config = this.configs().find((c) => c.id === serverId);
    if (!config) throw new CodaError('not_found', `No tool server "${serverId}" is configured.`);
    return this.state(config).source;
  }

  /**
   * The tool as its server lists it now: the server is started first if its tools were only known (not live), and
   * listed again if it said its tools changed. Asked before a call's approval too, so the user (and a trusted
   * server's read-only rule) judges the tool as it is now, not as a kept list described it.
   */
  async resolve(toolId: string): Promise<RegisteredTool | undefined> {
    const known = this.find(toolId);
    const state = known && this.servers.get(known.server);
    const config = known && this.configs().find((c) => c.id === known.server);
    if (!state || !config || (!state.stale && state.source.status === 'ready')) return known;
    try {
      await this.toolsOf(config, state, 'live');
    } catch (error) {
      // It cannot list its tools now; the call itself will say what is wrong.
      state.failure = error instanceof Error ? error.message : String(error);
      return known;
    }
    return this.find(toolId);
  }

  /** `use`: 'live' starts the server and lists; 'list' may offer the build's list; 'answer' a kept one too. */
  private async toolsOf(config: ServerConfig, state: ServerState, use: 'live' | 'list' | 'answer'): Promise<RegisteredTool[]> {
    const { source } = state;
    if (state.tools && !state.stale && source.status === 'ready') return state.tools;
    const known = use === 'live' ? null : this.offerKnown(config, state, use === 'answer');
    if (known) return known;
    if (source.status !== 'ready') {
      // Waiting for the user to sign in: asking again changes nothing (and would wake Settings in a loop).
      if (source.status === 'needs-sign-in')
        throw new CodaError('sign_in_required', state.failure ?? `"${config.label}" needs you to sign in: open Settings › Tools.`);
      // Likewise an OpenAPI service waiting for the user to confirm a new origin: only a confirmation starts it anew.
      if (source.status === 'needs-confirmation')
        throw new CodaError('conflict', state.failure ?? `"${config.label}" needs confirmation: open Settings › Tools.`);
      const backoff = state.backoff;
      if (backoff && Date.now() < backoff.until)
        throw new Error(`${state.failure ?? 'It failed.'} Trying again in ${Math.ceil((backoff.until - Date.now()) / 1000)} s.`);
      source.onChange = () => {
        state.stale = true;
        this.onServersChanged?.(config.id);
      };
      await this.startOnce(config.id, state);
    }
    state.failure = null;
    // Cleared before asking, so a change announced while the list is on its way is not lost.
    state.stale = false;
    const listed = await source.tools();
    const previous = state.tools;
    state.tools = listed.map((tool) => ({ ...tool, server: config.id, serverLabel: config.label, id: toolId(config.id, tool.name) }));
    const now = new Set(state.tools.map((tool) => tool.id));
    if (state.listedBy !== 'server') for (const tool of previous ?? []) if (!now.has(tool.id)) state.withdrawn.add(tool.id);
    for (const id of now) state.withdrawn.delete(id);
    state.listedBy = 'server';
    // New list, new schemas: a validator of the previous list must not judge calls to this one.
    state.validators = new Validators();
    // Dropped from the map meanwhile (stopped, removed): what it listed is not this configuration's any more.
    if (this.servers.get(config.id) === state) this.knownTools.listed(config.id, listed);
    return state.tools;
  }

  /**
   * The answer path only: a server not running yet (never started in this process, or starting now) whose tools are
   * known is offered them, so the request does not wait for it. A kept list's server starts now in the background;
   * the built-in one on the first call. Either way a call waits for the start and meets the live list (see `current`).
   * A server that failed in this process (backoff) or waits for the user is not offered anything.
   */
  private offerKnown(config: ServerConfig, state: ServerState, answer: boolean): RegisteredTool[] | null {
    const { status } = state.source;
    if ((status !== 'stopped' && status !== 'connecting') || state.backoff || (state.tools && state.listedBy === 'server')) return null;
    if (state.tools) return answer || state.listedBy === 'build' ? state.tools : null;
    const known = this.knownTools.known(config);
    if (!known || (known.start === 'now' && !answer)) return null;
    state.tools = known.tools.map((tool) => ({ ...tool, server: config.id, serverLabel: config.label, id: toolId(config.id, tool.name) }));
    state.listedBy = known.start === 'now' ? 'kept' : 'build';
    if (known.start === 'now' && status === 'stopped' && !state.starting) {
      this.toolsOf(config, state, 'live').catch((error: unknown) => {
        state.failure = error instanceof Error ? error.message : String(error);
      });
    }
    return state.tools;
  }

  /**
   * Starts a source, once even when several callers want it at the same time (a chat turn, Settings, prestart):
   * two starts of one server would run two sign-ins, or two processes. The UI hears of it only when its state
   * changed, so a reload of Settings can never wake itself.
   */
  private startOnce(serverId: string, state: ServerState): Promise<void> {
    if (state.starting) return state.starting;
    const { source } = state;
    const before = source.status;
    const refresh = state.refresh;
    state.refresh = false;
    state.starting = source
      .start(refresh)
      .then(
        () => {
          state.backoff = null;
        },
        (error: unknown) => {
          // A start that failed (not one cut short by a stop) says nothing kept of this server may be offered again.
          if (this.servers.get(serverId) === state) this.knownTools.forget(serverId);
          // Waiting for the user to sign in is not a fault to back off from; anything else is.
          if (!(error instanceof CodaError && error.code === 'sign_in_required' && source.status === 'needs-sign-in')) {
            const attempts = (state.backoff?.attempts ?? 0) + 1;
            state.backoff = { attempts, until: Date.now() + Math.min(60_000, 1000 * 2 ** (attempts - 1)) };
          }
          throw error;
        },
      )
      .finally(() => {
        state.starting = null;
        if (source.status !== before) this.onServersChanged?.(serverId);
      });
    return state.starting;
  }
}

/** Providers accept tool names of [A-Za-z0-9_-], at most 64 characters. */
export function toolId(server: string, tool: string): string {
  return `${server}${TOOL_ID_SEPARATOR}${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}
