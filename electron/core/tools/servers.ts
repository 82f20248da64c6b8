import type { MethodOutput } from '../../../shared/index.js';
import { CodaError } from '../../../shared/index.js';
import type { Preferences, ToolServerConfig } from '../settings/preferences.js';
import type { ToolSecrets } from '../settings/tool-secrets.js';
import { newId } from '../util/ids.js';
import { BUILTIN_SERVER_ID } from './builtin-config.js';
import type { StdioServerConfig } from './mcp-connection.js';
import type { OpenApiAuth } from './openapi/openapi-source.js';
import { describeServerSecrets, replaceServerSecrets, storeServerSecrets, type SecretsReplacement } from './server-secrets.js';
import { CLIENT_SECRET_NAME, hasSavedTokens, type OAuthSettings } from './oauth/server-oauth.js';
import { PRIVATE_KEY_NAME } from './oauth/service-account.js';
import type { ToolRegistry } from './tool-registry.js';
import { splitServerAddress } from './url-secrets.js';

type ServerList = MethodOutput<'tools.servers'>;
/** OAuth settings as typed: the secret ones (client secret, private key) go to the key store. */
type OAuthInput = OAuthSettings & { clientSecret?: string | undefined; privateKey?: string | undefined };

/** The user's MCP servers in preferences (their secrets in the key store), and their live state from the registry. */
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
          confirmed: true,
          trusted: true,
          timeoutSeconds: this.defaultTimeoutMs / 1000,
          ...this.registry.status(builtin.id),
        },
        ...this.preferences.get('toolServers').map((s) => {
          // Names and hints only: the values never leave core (secret variables are masked in `env`, secret query
          // parameters in `url`).
          const secrets = describeServerSecrets(s, this.secrets);
          const status = this.registry.status(s.id);
          return {
            id: s.id,
            label: s.label,
            builtin: false,
            transport: s.transport,
            // A remote server's "command" is its address, which may hold a key in an older file.
            command: s.transport === 'stdio' ? s.command : (secrets.url ?? ''),
            args: s.args,
            ...secrets,
            confirmed: s.confirmed,
            trusted: s.trusted,
            timeoutSeconds: (s.timeoutMs ?? this.defaultTimeoutMs) / 1000,
            ...status,
            signedIn: status.signedIn ?? (s.transport === 'http' ? hasSavedTokens(this.secrets, s.id) : null),
          };
        }),
      ],
    };
  }

  add(
    servers: (
      | { label: string; command: string; args: string[]; env: Record<string, string> }
      | { label: string; url: string; headers?: Record<string, string> | undefined; oauth?: OAuthInput | undefined }
      | { label: string; openapi: string; baseUrl?: string | undefined; auth?: OpenApiAuth | undefined }
    )[],
  ): ServerList {
    const existing = this.preferences.get('toolServers');
    const taken = new Set([BUILTIN_SERVER_ID, ...existing.map((s) => s.id)]);
    // Every address is checked before anything is saved, so one refused leaves nothing of the others in the key store.
    const addresses = servers.map((server) =>
      'command' in server ? null : 'openapi' in server ? splitServerAddress(server.label, 'openapi', server.openapi, server.baseUrl) : splitServerAddress(server.label, 'http', server.url),
    );
    const added: ToolServerConfig[] = servers.map((server, i) => {
      const id = uniqueId(server.label, taken);
      // Leftovers of an earlier server with this id (an interrupted removal) must not be sent to the new one.
      this.secrets.removeAll(id);
      // Values go to the key store before preferences are written, so a failure there saves nothing in plain text.
      if ('command' in server) {
        const { env = {}, ...secretEnv } = storeServerSecrets(this.secrets, id, { env: server.env });
        return { id, label: server.label, transport: 'stdio', command: server.command, args: server.args, env, ...secretEnv, confirmed: false, trusted: false };
      }
      const { url, query } = addresses[i] ?? { url: '', query: [] };
      const shape = storeServerSecrets(this.secrets, id, 'openapi' in server ? { auth: server.auth, query } : { headers: server.headers, query });
      return 'openapi' in server
        ? { id, label: server.label, transport: 'openapi', url, ...(server.baseUrl ? { baseUrl: server.baseUrl } : {}), ...shape, command: url, args: [], env: {}, confirmed: false, trusted: false }
        : { id, label: server.label, transport: 'http', url, ...shape, ...this.oauthSettings(id, server.oauth), command: url, args: [], env: {}, confirmed: false, trusted: false };
    });
    this.preferences.set('toolServers', [...existing, ...added]);
    return this.list();
  }

  async confirm(id: string, trusted: boolean): Promise<ServerList> {
    this.update(id, (s) => ({ ...s, confirmed: true, trusted }));
    // Start it now, so its status (and any failure) shows at once.
    await this.registry.definitions([id]);
    return this.list();
  }

  /** A pre-registered OAuth client's secret goes to the key store; the rest of the OAuth settings are not secret. */
  private oauthSettings(id: string, input: OAuthInput | undefined): { oauth?: OAuthSettings } {
    if (!input) return {};
    const { clientSecret, privateKey, ...settings } = input;
    if (clientSecret) this.secrets.set(id, CLIENT_SECRET_NAME, clientSecret);
    if (privateKey) this.secrets.set(id, PRIVATE_KEY_NAME, privateKey);
    return Object.values(settings).some((v) => v !== undefined) ? { oauth: settings } : {};
  }

  /**
   * Replaces saved secrets of a server (a rotated token, one this machine cannot read) without removing it, then
   * restarts it so the next call uses them. A server not yet confirmed stays stopped.
   */
  async updateSecrets(id: string, replacement: SecretsReplacement): Promise<ServerList> {
    if (id === BUILTIN_SERVER_ID) throw new CodaError('validation', 'The built-in tools have no secrets to replace.');
    const updated = replaceServerSecrets(this.secrets, this.find(id), replacement);
    this.update(id, () => updated);
    if (updated.confirmed) await this.restart(id);
    return this.list();
  }

  async signOut(id: string): Promise<ServerList> {
    this.find(id);
    await this.registry.signOut(id);
    return this.list();
  }

  async restart(id: string): Promise<ServerList> {
    await this.registry.restart(id);
    await this.registry.definitions([id]);
    return this.list();
  }

  async remove(id: string): Promise<ServerList> {
    if (id === BUILTIN_SERVER_ID) throw new CodaError('validation', 'The built-in tools cannot be removed; turn them off per chat in Chat settings.');
    this.find(id);
    await this.registry.forget(id);
    this.preferences.set('toolServers', this.preferences.get('toolServers').filter((s) => s.id !== id));
    this.secrets.removeAll(id);
    const policies = { ...this.preferences.get('toolPolicies') };
    for (const key of Object.keys(policies)) if (key.startsWith(`${id}__`)) delete policies[key];
    this.preferences.set('toolPolicies', policies);
    return this.list();
  }

  private find(id: string): ToolServerConfig {
    const server = this.preferences.get('toolServers').find((s) => s.id === id);
    if (!server) throw new CodaError('not_found', `No tool server "${id}".`);
    return server;
  }

  private update(id: string, change: (server: ToolServerConfig) => ToolServerConfig): void {
    this.find(id);
    this.preferences.set('toolServers', this.preferences.get('toolServers').map((s) => (s.id === id ? change(s) : s)));
  }
}

/** A short id from the label ("GitHub tools" → "github_tools"), unique among servers; it prefixes tool names. */
function uniqueId(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24) || `server_${newId().slice(-6)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
