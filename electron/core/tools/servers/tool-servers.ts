import { CodaError, type MethodOutput } from '../../../../shared/index.js';
import type { Preferences } from '../../settings/preferences.js';
import type { ToolSecrets } from '../../settings/tool-secrets.js';
import type { ToolServerConfig } from '../../settings/tool-servers.js';
import { newId } from '../../util/ids.js';
import { BUILTIN_SERVER_ID } from '../builtin-config.js';
import { describeSecrets, replaceSecrets, splitNewServer, type NewServer, type SecretsReplacement } from '../secrets/server-secrets.js';
import { forgetSignIn, hasSavedTokens } from '../sources/mcp/oauth/server-oauth.js';
import type { StdioServerConfig } from '../sources/source.js';
import type { ToolRegistry } from '../tool-registry.js';
import { serverFingerprint } from './consent.js';
import type { ServerIdentity } from './kept-tool-lists.js';

type ServerList = MethodOutput<'tools.servers'>;

/** The user's tool servers in preferences (their secrets in the key store), and their live state from the registry. */
export class ToolServers {
  constructor(
    private readonly preferences: Preferences,
    private readonly secrets: ToolSecrets,
    private readonly registry: ToolRegistry,
    private readonly builtin: StdioServerConfig,
    private readonly defaultTimeoutMs = 60_000,
  ) {}

  setTimeout(id: string, seconds: number): ServerList {
    this.update(id, (s) => ({ ...s, timeoutMs: Math.round(seconds * 1000) }));
    return this.list();
  }

  list(): ServerList {
    const list = this.listShown();
    return { ...list, servers: list.servers.map((server) => ({ ...server, fingerprint: serverFingerprint(server) })) };
  }

  private listShown(): { secretsPersistent: boolean; servers: Omit<ServerList['servers'][number], 'fingerprint'>[] } {
    const builtin = this.builtin;
    return {
      secretsPersistent: this.secrets.persistent,
      servers: [
        {
          id: builtin.id,
          label: builtin.label,
          builtin: true,
          transport: 'stdio' as const,
          url: null,
          command: builtin.command,
          args: builtin.args,
          env: {},
          secretEnv: [],
          headers: [],
          secretQuery: [],
          auth: null,
          oauthClient: null,
          callOrigin: null,
          confirmed: true,
          trusted: true,
          timeoutSeconds: this.defaultTimeoutMs / 1000,
          ...liveState(this.registry.status(builtin.id)),
        },
        ...this.preferences.get('toolServers').map((s) => this.shown(s)),
      ],
    };
  }

  /** A user's server as the list shows it. */
  private shown(s: ToolServerConfig): Omit<ServerList['servers'][number], 'fingerprint'> {
    // Names and hints only: the values never leave core (secret variables are masked in `env`, secret query
    // parameters in `url`).
    const secrets = describeSecrets(s, this.secrets);
    const { originChange, ...status } = this.registry.status(s.id);
    return {
      id: s.id,
      label: s.label,
      builtin: false,
      transport: s.transport,
      // A remote server's "command" is its address.
      command: s.transport === 'stdio' ? s.command : (secrets.url ?? ''),
      args: s.transport === 'stdio' ? s.args : [],
      ...secrets,
      callOrigin: s.transport === 'openapi' ? { pinned: s.origin, changedTo: originChange?.to ?? null } : null,
      confirmed: s.confirmed,
      trusted: s.trusted,
      timeoutSeconds: (s.timeoutMs ?? this.defaultTimeoutMs) / 1000,
      ...status,
      signedIn: status.signedIn ?? (s.transport === 'http' ? hasSavedTokens(this.secrets, s.id) : null),
    };
  }

  /**
   * What a kept tool list of this server depends on (see kept-tool-lists.ts): the fingerprint of what the user
   * confirmed, and whether it is signed in. Null for a server that is not the user's, or not confirmed.
   */
  identity(id: string): ServerIdentity | null {
    const server = this.preferences.get('toolServers').find((s) => s.id === id);
    if (!server?.confirmed) return null;
    return {
      fingerprint: serverFingerprint(this.shown(server)),
      signedIn: server.transport === 'http' && hasSavedTokens(this.secrets, id),
    };
  }

  /**
   * Adds servers, stopped until confirmed. Their secrets go to the key store before preferences are written. An
   * OpenAPI service's description is read first, for the origin its calls will go to: the confirmation shows it.
   */
  async add(servers: NewServer[]): Promise<ServerList> {
    // One name, one server: adding or importing one that is there already says so instead of adding a twin.
    const names = new Set(this.preferences.get('toolServers').map((s) => s.label.toLowerCase()));
    for (const server of servers) {
      const name = server.label.toLowerCase();
      if (names.has(name))
        throw new CodaError('conflict', `A tool server named "${server.label}" is added already; remove it first, or give this one another name.`);
      names.add(name);
    }
    // The OpenAPI parser (and YAML, and its Ajv) loads only when a service is added: a chat never needs it.
    const resolveOrigin = async (openapi: string, baseUrl?: string) =>
      (await import('../sources/openapi/service-origin.js')).resolveServiceOrigin(openapi, baseUrl);
    const origins = await Promise.all(servers.map((server) => ('openapi' in server ? resolveOrigin(server.openapi, server.baseUrl) : null)));
    const existing = this.preferences.get('toolServers');
    const taken = new Set([BUILTIN_SERVER_ID, ...existing.map((s) => s.id), ...this.preferences.get('retiredToolServerIds')]);
    // Every server is checked before anything is saved, so one refused leaves nothing of the others in the key store.
    const added = servers.map((server, i) => splitNewServer(uniqueId(server.label, taken), server, origins[i] ?? null));
    const saved: string[] = [];
    try {
      for (const { config, secrets } of added) {
        // Replaces whatever an earlier server with this id left behind (an interrupted removal).
        this.secrets.save(config.id, secrets);
        saved.push(config.id);
      }
    } catch (error) {
      for (const id of saved) this.secrets.remove(id);
      throw new CodaError(
        'internal',
        `The secrets of the new server could not be saved, so it was not added: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    this.preferences.set('toolServers', [...existing, ...added.map(({ config }) => config)]);
    return this.list();
  }

  /**
   * Starts a server the user has seen, with the fingerprint of what they saw: a server changed since (the page
   * replaced it, a secret's hint differs, its calls would go to another origin) is refused, and the user looks again.
   * An OpenAPI service's origin is pinned as the confirmation showed it (`origin`); if its calls would now go
   * elsewhere, nothing is confirmed. A running service whose origin changed starts anew with the confirmed one.
   */
  async confirm(id: string, fingerprint: string, trusted: boolean, origin?: string): Promise<ServerList> {
    const server = this.find(id);
    const current = this.list().servers.find((s) => s.id === id);
    if (!current || current.fingerprint !== fingerprint) {
      throw new CodaError(
        'conflict',
        `"${server.label}" changed after it was shown to you, so it was not started. Look at it again and confirm what it is now.`,
      );
    }
    const pin = server.transport === 'openapi' ? this.originToPin(server, origin) : undefined;
    this.update(id, (s) => ({ ...s, confirmed: true, trusted, ...(s.transport === 'openapi' && pin !== undefined ? { origin: pin } : {}) }));
    if (server.transport === 'openapi' && pin !== server.origin) await this.registry.restart(id);
    // Start it now, so its status (and any failure) shows at once.
    await this.registry.definitions([id], { live: true });
    return this.list();
  }

  /** The origin a confirmation pins: the one Settings shows now, which must be the one the user saw. */
  private originToPin(server: Extract<ToolServerConfig, { transport: 'openapi' }>, shown: string | undefined): string | null {
    const offered = this.registry.status(server.id).originChange?.to ?? server.origin;
    if (shown !== undefined && shown !== offered) {
      throw new CodaError(
        'conflict',
        `The calls of "${server.label}" would now go to ${offered ?? 'an origin not known yet'}, not ${shown}: look at it again before you confirm.`,
      );
    }
    return offered;
  }

  /**
   * Replaces saved secrets of a server (a rotated token, one this machine cannot read) without removing it, then
   * restarts it so the next call uses them. A server not yet confirmed stays stopped. A key store that fails (or
   * cannot give the values back) keeps the old values.
   */
  async updateSecrets(id: string, replacement: SecretsReplacement): Promise<ServerList> {
    if (id === BUILTIN_SERVER_ID) throw new CodaError('validation', 'The built-in tools have no secrets to replace.');
    const server = this.find(id);
    const next = replaceSecrets(server, this.secrets.read(id), replacement);
    try {
      this.secrets.save(id, next);
    } catch (error) {
      throw new CodaError('internal', `The new value for "${server.label}" could not be saved: ${error instanceof Error ? error.message : String(error)}.`);
    }
    if (server.confirmed) await this.restart(id);
    return this.list();
  }

  /** Forgets a remote server's OAuth tokens and registration; it asks for a sign-in on next use. */
  async signOut(id: string): Promise<ServerList> {
    this.find(id);
    // Stopped first, so a sign-in still under way cannot save its tokens after they are forgotten.
    await this.registry.restart(id);
    forgetSignIn(this.secrets, id);
    return this.list();
  }

  async restart(id: string): Promise<ServerList> {
    await this.registry.restart(id);
    await this.registry.definitions([id], { live: true });
    return this.list();
  }

  async remove(id: string): Promise<ServerList> {
    if (id === BUILTIN_SERVER_ID) throw new CodaError('validation', 'The built-in tools cannot be removed; turn them off per chat in Chat settings.');
    this.find(id);
    // Retired first, so no server added meanwhile can take its id (and an approval meant for this one).
    this.preferences.set('retiredToolServerIds', [...new Set([...this.preferences.get('retiredToolServerIds'), id])]);
    await this.registry.forget(id);
    this.preferences.set(
      'toolServers',
      this.preferences.get('toolServers').filter((s) => s.id !== id),
    );
    this.secrets.remove(id);
    const policies = { ...this.preferences.get('toolPolicies') };
    for (const key of Object.keys(policies)) if (key.startsWith(`${id}__`)) delete policies[key];
    this.preferences.set('toolPolicies', policies);
    // Its prompts and resources leave the composer.
    this.registry.onServersChanged?.(id);
    return this.list();
  }

  private find(id: string): ToolServerConfig {
    const server = this.preferences.get('toolServers').find((s) => s.id === id);
    if (!server) throw new CodaError('not_found', `No tool server "${id}".`);
    return server;
  }

  private update(id: string, change: (server: ToolServerConfig) => ToolServerConfig): void {
    this.find(id);
    this.preferences.set(
      'toolServers',
      this.preferences.get('toolServers').map((s) => (s.id === id ? change(s) : s)),
    );
  }
}

/** What the list shows of a server's live state (the origin change goes into `callOrigin`). */
function liveState({ originChange: _, ...state }: ReturnType<ToolRegistry['status']>): Omit<ReturnType<ToolRegistry['status']>, 'originChange'> {
  return state;
}

/** A short id from the label ("GitHub tools" → "github_tools"), unique among servers; it prefixes tool names. */
function uniqueId(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || `server_${newId().slice(-6)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
