import type { Preferences, ToolServerAuth, ToolServerConfig } from '../settings/preferences.js';
import type { ToolSecrets } from '../settings/tool-secrets.js';
import type { ServerConfig } from './mcp-connection.js';
import type { OpenApiAuth } from './openapi/openapi-source.js';

/*
 * A tool server's secrets (HTTP header values, an OpenAPI service's token, key or password) live in ToolSecrets;
 * preferences keep only their shape (header names, the auth type, an API key's place and name, a username). This
 * module is the one place that splits the two when a server is added and joins them when it is used.
 */

type AuthWithSecret = Exclude<ToolServerAuth, { type: 'none' }>;

/** Names of a server's secrets in ToolSecrets (OAuth tokens of the same server use names of their own). */
const headerSecret = (header: string): string => `header:${header}`;
const AUTH_SECRET: Record<AuthWithSecret['type'], string> = { bearer: 'auth:token', apiKey: 'auth:value', basic: 'auth:password' };

/** What the user typed for a server: header values and credentials in full. */
export interface ServerSecretsInput {
  headers?: Record<string, string> | undefined;
  auth?: OpenApiAuth | ToolServerAuth | undefined;
}

/** Saves the secret values of a server and returns what preferences may keep of them. */
export function storeServerSecrets(secrets: ToolSecrets, serverId: string, input: ServerSecretsInput): Pick<ToolServerConfig, 'headerNames' | 'auth'> {
  const headers = Object.entries(input.headers ?? {});
  for (const [name, value] of headers) secrets.set(serverId, headerSecret(name), value);
  const secret = input.auth ? authSecret(input.auth) : undefined;
  if (input.auth && input.auth.type !== 'none' && secret !== undefined) secrets.set(serverId, AUTH_SECRET[input.auth.type], secret);
  return {
    ...(headers.length ? { headerNames: headers.map(([name]) => name) } : {}),
    ...(input.auth ? { auth: withoutSecret(input.auth) } : {}),
  };
}

/** The configuration a tool source runs with: the preferences' shape with secrets filled in when it is used. */
export function runtimeServerConfig(server: ToolServerConfig, secrets: ToolSecrets): ServerConfig {
  const { id, label, timeoutMs } = server;
  if (server.transport === 'http') {
    const headers = resolveHeaders(server, secrets);
    const missing = headerNames(server).filter((name) => !(name in headers)).map((name) => `value of the ${name} header`);
    return { id, label, transport: 'http', url: server.url ?? '', headers, oauth: server.oauth, timeoutMs, ...unreadable(missing, secrets) };
  }
  if (server.transport === 'openapi') {
    const auth = server.auth;
    const missing = auth && auth.type !== 'none' && savedAuthSecret(id, auth, secrets) === undefined ? [AUTH_NAME[auth.type]] : [];
    return { id, label, transport: 'openapi', specUrl: server.url, baseUrl: server.baseUrl, auth: auth ? resolveAuth(id, auth, secrets) : undefined, timeoutMs, ...unreadable(missing, secrets) };
  }
  return { id, label, command: server.command, args: server.args, env: server.env, timeoutMs };
}

const AUTH_NAME: Record<AuthWithSecret['type'], string> = { bearer: 'bearer token', apiKey: 'API key', basic: 'password' };

/**
 * Saved secrets that cannot be read here make the source refuse to start with this reason, rather than call the
 * server without them (an unauthenticated call fails in a confusing way, or worse, succeeds as someone else).
 */
function unreadable(missing: string[], secrets: ToolSecrets): { unreadableSecrets?: string } {
  if (missing.length === 0) return {};
  const why = secrets.persistent
    ? 'the OS keychain no longer opens it'
    : "it is kept in the desktop app's keychain, which serve mode and the CLI cannot open, or it was typed in a serve-mode session that has ended";
  return { unreadableSecrets: `The saved ${missing.join(' and ')} cannot be read here (${why}). Remove the server and add it again with it.` };
}

/** A secret as the UI may see it: whether it is there, and its last 4 characters when long enough to stay secret. */
export interface SecretHint {
  saved: boolean;
  last4: string | null;
}

export interface ServerSecretsView {
  headers: ({ name: string } & SecretHint)[];
  auth: ({ type: ToolServerAuth['type']; in: 'header' | 'query' | null; name: string | null; username: string | null } & SecretHint) | null;
}

/** What `tools.servers` shows of a server's secrets: names and types, each value only as a hint (as for provider keys). */
export function describeServerSecrets(server: ToolServerConfig, secrets: ToolSecrets): ServerSecretsView {
  const headers = Object.entries(resolveHeaders(server, secrets));
  const view: ServerSecretsView = {
    headers: headerNames(server).map((name) => ({ name, ...hint(headers.find(([n]) => n === name)?.[1]) })),
    auth: null,
  };
  const auth = server.auth;
  if (auth) {
    view.auth = {
      type: auth.type,
      in: auth.type === 'apiKey' ? auth.in : null,
      name: auth.type === 'apiKey' ? auth.name : null,
      username: auth.type === 'basic' ? auth.username : null,
      ...(auth.type === 'none' ? { saved: true, last4: null } : hint(savedAuthSecret(server.id, auth, secrets))),
    };
  }
  return view;
}

/**
 * Preferences written before secrets moved to the key store carry them in plain text. Where they can be encrypted
 * (the desktop app), they move there and leave preferences; elsewhere they stay put and are read as a fallback,
 * because moving them into memory would lose them when Coda quits. Returns how many servers were rewritten.
 */
export function migrateServerSecrets(preferences: Preferences, secrets: ToolSecrets, log: (message: string) => void = () => {}): number {
  if (!secrets.persistent) return 0;
  let moved = 0;
  const servers = preferences.get('toolServers').map((server) => {
    const plainHeaders = Object.keys(server.headers ?? {}).length > 0;
    const plainAuth = server.auth !== undefined && authSecret(server.auth) !== undefined;
    if (!plainHeaders && !plainAuth) return server;
    const { headers, auth, ...rest } = server;
    try {
      const stored = storeServerSecrets(secrets, server.id, { headers, auth });
      // The plain copy goes only once the key store gives every value back: a keychain that encrypts but
      // cannot decrypt must not cost the user a token.
      const readBack = Object.entries(headers ?? {}).every(([name, value]) => secrets.get(server.id, headerSecret(name)) === value) && (!auth || auth.type === 'none' || savedAuthSecretStored(server.id, auth, secrets) === authSecret(auth));
      if (!readBack) throw new Error('the key store did not give the values back');
      moved++;
      const names = [...new Set([...(server.headerNames ?? []), ...(stored.headerNames ?? [])])];
      return { ...rest, ...stored, ...(names.length ? { headerNames: names } : {}) };
    } catch (error) {
      // Take back what was written, so only the plain copy counts.
      try {
        for (const name of Object.keys(headers ?? {})) secrets.set(server.id, headerSecret(name), null);
        if (auth && auth.type !== 'none') secrets.set(server.id, AUTH_SECRET[auth.type], null);
      } catch {
        // Nothing more to do: the plain copy stays, and it is what is read.
      }
      log(`The secrets of the tool server "${server.label}" stay where they were: ${error instanceof Error ? error.message : String(error)}.`);
      return server;
    }
  });
  if (moved) preferences.set('toolServers', servers);
  return moved;
}

function headerNames(server: ToolServerConfig): string[] {
  return [...new Set([...(server.headerNames ?? []), ...Object.keys(server.headers ?? {})])];
}

/** Header values from the key store, or (not yet moved, see `migrateServerSecrets`) from preferences. */
function resolveHeaders(server: ToolServerConfig, secrets: ToolSecrets): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of headerNames(server)) {
    const value = secrets.get(server.id, headerSecret(name)) ?? server.headers?.[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** The credentials to sign calls with; a token or key that was lost (kept only in memory, say) means none. */
function resolveAuth(serverId: string, auth: ToolServerAuth, secrets: ToolSecrets): OpenApiAuth {
  if (auth.type === 'none') return auth;
  const secret = savedAuthSecret(serverId, auth, secrets);
  if (auth.type === 'basic') return { type: 'basic', username: auth.username, password: secret ?? '' };
  if (secret === undefined) return { type: 'none' };
  return auth.type === 'bearer' ? { type: 'bearer', token: secret } : { type: 'apiKey', in: auth.in, name: auth.name, value: secret };
}

/** The token, key or password as the key store holds it (no fallback). */
function savedAuthSecretStored(serverId: string, auth: AuthWithSecret, secrets: ToolSecrets): string | undefined {
  return secrets.get(serverId, AUTH_SECRET[auth.type]);
}

/** The token, key or password from the key store, or (not yet moved) from preferences. */
function savedAuthSecret(serverId: string, auth: AuthWithSecret, secrets: ToolSecrets): string | undefined {
  return secrets.get(serverId, AUTH_SECRET[auth.type]) ?? authSecret(auth);
}

function authSecret(auth: OpenApiAuth | ToolServerAuth): string | undefined {
  if (auth.type === 'bearer') return auth.token;
  if (auth.type === 'apiKey') return auth.value;
  if (auth.type === 'basic') return auth.password;
  return undefined;
}

function withoutSecret(auth: OpenApiAuth | ToolServerAuth): ToolServerAuth {
  if (auth.type === 'apiKey') return { type: 'apiKey', in: auth.in, name: auth.name };
  if (auth.type === 'basic') return { type: 'basic', username: auth.username };
  return auth.type === 'bearer' ? { type: 'bearer' } : { type: 'none' };
}

/** Same policy as provider keys: a hint only when the value is long enough that 4 characters give nothing away. */
function hint(value: string | undefined): SecretHint {
  return { saved: value !== undefined, last4: value !== undefined && value.length >= 8 ? value.slice(-4) : null };
}
