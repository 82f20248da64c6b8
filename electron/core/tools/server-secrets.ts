import { CodaError } from '../../../shared/index.js';
import type { Preferences, ToolServerAuth, ToolServerConfig } from '../settings/preferences.js';
import type { ToolSecrets } from '../settings/tool-secrets.js';
import { CLIENT_SECRET_NAME } from './oauth/server-oauth.js';
import { PRIVATE_KEY_NAME } from './oauth/service-account.js';
import type { ServerConfig } from './mcp-connection.js';
import type { OpenApiAuth } from './openapi/openapi-source.js';
import { isSecretEnvVariable } from './secret-env.js';
import { maskedUrl, plainQuerySecrets, querySecret, resolveQuery, runtimeUrl, secretQueryNames, withoutPlainQuery } from './url-secrets.js';

/*
 * A tool server's secrets (HTTP header values, an OpenAPI service's token, key or password, a command's environment
 * variables and its address's query parameters whose name looks secret) live in ToolSecrets; preferences keep only
 * their shape (header names, the auth type, an API key's place and name, a username, the names of secret variables
 * and parameters). This module is the one place that splits the two when a server is added or a value replaced, and
 * joins them when it is used (the address part is in url-secrets.ts).
 */

type AuthWithSecret = Exclude<ToolServerAuth, { type: 'none' }>;

/** Names of a server's secrets in ToolSecrets (OAuth tokens of the same server use names of their own). */
const headerSecret = (header: string): string => `header:${header}`;
const envSecret = (variable: string): string => `env:${variable}`;
const AUTH_SECRET: Record<AuthWithSecret['type'], string> = { bearer: 'auth:token', apiKey: 'auth:value', basic: 'auth:password' };

/** What the user typed for a server: header values, credentials and environment in full. */
export interface ServerSecretsInput {
  headers?: Record<string, string> | undefined;
  auth?: OpenApiAuth | ToolServerAuth | undefined;
  env?: Record<string, string> | undefined;
  /** Secret query parameters split out of the address (see `splitServerAddress`). */
  query?: [string, string][] | undefined;
}

/** Saves the secret values of a server and returns what preferences may keep of them. */
export function storeServerSecrets(
  secrets: ToolSecrets,
  serverId: string,
  input: ServerSecretsInput,
): Pick<ToolServerConfig, 'headerNames' | 'auth' | 'secretEnvNames' | 'secretQueryNames'> & { env?: Record<string, string> } {
  const query = input.query ?? [];
  for (const [name, value] of query) secrets.set(serverId, querySecret(name), value);
  const headers = Object.entries(input.headers ?? {});
  for (const [name, value] of headers) secrets.set(serverId, headerSecret(name), value);
  const secret = input.auth ? authSecret(input.auth) : undefined;
  if (input.auth && input.auth.type !== 'none' && secret !== undefined) secrets.set(serverId, AUTH_SECRET[input.auth.type], secret);
  const env = input.env ? splitEnv(input.env) : undefined;
  const secretEnv = Object.entries(env?.secret ?? {});
  for (const [name, value] of secretEnv) secrets.set(serverId, envSecret(name), value);
  return {
    ...(headers.length ? { headerNames: headers.map(([name]) => name) } : {}),
    ...(input.auth ? { auth: withoutSecret(input.auth) } : {}),
    ...(env ? { env: env.plain } : {}),
    ...(secretEnv.length ? { secretEnvNames: secretEnv.map(([name]) => name) } : {}),
    ...(query.length ? { secretQueryNames: query.map(([name]) => name) } : {}),
  };
}

/** The configuration a tool source runs with: the preferences' shape with secrets filled in when it is used. */
export function runtimeServerConfig(server: ToolServerConfig, secrets: ToolSecrets): ServerConfig {
  const { id, label, timeoutMs } = server;
  const address = runtimeUrl(server, secrets);
  const missingQuery = address.missing.map((name) => `value of the ${name} query parameter`);
  if (server.transport === 'http') {
    const headers = resolveHeaders(server, secrets);
    const missing = headerNames(server).filter((name) => !(name in headers)).map((name) => `value of the ${name} header`);
    return { id, label, transport: 'http', url: address.url, headers, oauth: server.oauth, timeoutMs, ...unreadable([...missing, ...missingQuery], secrets) };
  }
  if (server.transport === 'openapi') {
    const auth = server.auth;
    const missing = auth && auth.type !== 'none' && savedAuthSecret(id, auth, secrets) === undefined ? [AUTH_NAME[auth.type]] : [];
    const specUrl = server.url === undefined ? undefined : address.url;
    return { id, label, transport: 'openapi', specUrl, baseUrl: server.baseUrl, auth: auth ? resolveAuth(id, auth, secrets) : undefined, timeoutMs, ...unreadable([...missing, ...missingQuery], secrets) };
  }
  const env = resolveEnv(server, secrets);
  const missing = envSecretNames(server).filter((name) => !(name in env)).map((name) => `value of the ${name} environment variable`);
  return { id, label, command: server.command, args: server.args, env, timeoutMs, ...unreadable(missing, secrets) };
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
  return { unreadableSecrets: `The saved ${missing.join(' and ')} cannot be read here (${why}). Enter it again with Replace in Settings › Tools.` };
}

/** A secret as the UI may see it: whether it is there, and its last 4 characters when long enough to stay secret. */
export interface SecretHint {
  saved: boolean;
  last4: string | null;
}

export interface ServerSecretsView {
  /** Remote servers: the address with each secret query parameter's value masked (see `maskedValue`). */
  url: string | null;
  headers: ({ name: string } & SecretHint)[];
  secretQuery: ({ name: string } & SecretHint)[];
  auth: ({ type: ToolServerAuth['type']; in: 'header' | 'query' | null; name: string | null; username: string | null } & SecretHint) | null;
  /** stdio servers: every variable it gets, secret ones masked (see `maskedValue`), and the hint for each secret one. */
  env: Record<string, string>;
  secretEnv: ({ name: string } & SecretHint)[];
  /** HTTP servers with an OAuth client registered ahead: its ID, and hints for its secret and private key. */
  oauthClient: { clientId: string; asService: boolean; secret: SecretHint | null; privateKey: SecretHint | null } | null;
}

/** What `tools.servers` shows of a server's secrets: names and types, each value only as a hint (as for provider keys). */
export function describeServerSecrets(server: ToolServerConfig, secrets: ToolSecrets): ServerSecretsView {
  const headers = Object.entries(resolveHeaders(server, secrets));
  const query = resolveQuery(server, secrets);
  const view: ServerSecretsView = {
    url: maskedUrl(server, secrets, (value) => maskedValue(hint(value))),
    headers: headerNames(server).map((name) => ({ name, ...hint(headers.find(([n]) => n === name)?.[1]) })),
    secretQuery: secretQueryNames(server).map((name) => ({ name, ...hint(query[name]) })),
    auth: null,
    env: {},
    secretEnv: [],
    oauthClient: null,
  };
  const client = server.transport === 'http' ? server.oauth : undefined;
  if (client?.clientId) {
    const secret = secrets.get(server.id, CLIENT_SECRET_NAME);
    const key = secrets.get(server.id, PRIVATE_KEY_NAME);
    const asService = client.grant === 'client_credentials';
    view.oauthClient = {
      clientId: client.clientId,
      asService,
      // A service that signs JWTs with its key has no secret to show.
      secret: asService && key !== undefined && secret === undefined ? null : hint(secret),
      privateKey: asService ? hint(key) : null,
    };
  }
  const env = resolveEnv(server, secrets);
  const secretNames = envSecretNames(server);
  for (const name of new Set([...Object.keys(server.env), ...secretNames])) {
    view.env[name] = secretNames.includes(name) ? maskedValue(hint(env[name])) : (server.env[name] ?? '');
  }
  view.secretEnv = secretNames.map((name) => ({ name, ...hint(env[name]) }));
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
    const plain = plainSecrets(server);
    if (plain.length === 0) return server;
    try {
      for (const [name, value] of plain) secrets.set(server.id, name, value);
      // The plain copy goes only once the key store gives every value back: a keychain that encrypts but
      // cannot decrypt must not cost the user a token.
      if (!plain.every(([name, value]) => secrets.get(server.id, name) === value)) throw new Error('the key store did not give the values back');
      moved++;
      const query = plainQuerySecrets(server).map(([name]) => name);
      return withoutPlainCopies(server, { headers: Object.keys(server.headers ?? {}), auth: true, env: Object.keys(splitEnv(server.env).secret), query });
    } catch (error) {
      // Take back what was written, so only the plain copy counts.
      try {
        for (const [name] of plain) secrets.set(server.id, name, null);
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

/** Secret values an older preferences file holds in plain text, by their name in the key store. */
function plainSecrets(server: ToolServerConfig): [string, string][] {
  const plain = Object.entries(server.headers ?? {}).map(([name, value]): [string, string] => [headerSecret(name), value]);
  const secret = server.auth ? authSecret(server.auth) : undefined;
  if (server.auth && server.auth.type !== 'none' && secret !== undefined) plain.push([AUTH_SECRET[server.auth.type], secret]);
  for (const [name, value] of Object.entries(splitEnv(server.env).secret)) plain.push([envSecret(name), value]);
  for (const [name, value] of plainQuerySecrets(server)) plain.push([querySecret(name), value]);
  return plain;
}

/**
 * The server as preferences keep it once the named secrets are in the key store: their plain copies go (so an old
 * value is never read in place of the saved one), their names stay. Other plain copies are left as they are.
 */
function withoutPlainCopies(server: ToolServerConfig, moved: Moved): ToolServerConfig {
  const { headers: plainHeaders, ...rest } = server;
  const headers = Object.fromEntries(Object.entries(plainHeaders ?? {}).filter(([name]) => !moved.headers.includes(name)));
  const names = headerNames(server);
  const secretEnvNames = [...new Set([...(server.secretEnvNames ?? []), ...moved.env])];
  return {
    ...rest,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(names.length ? { headerNames: names } : {}),
    ...(moved.auth && server.auth ? { auth: withoutSecret(server.auth) } : {}),
    env: Object.fromEntries(Object.entries(server.env).filter(([name]) => !moved.env.includes(name))),
    ...(secretEnvNames.length ? { secretEnvNames } : {}),
    ...withoutPlainQuery(server, moved.query),
  };
}

/** Which secrets just went to the key store, by header, variable or query parameter name. */
type Moved = { headers: string[]; auth: boolean; env: string[]; query: string[] };

/** New values for secrets a server already has: by header or variable name, and the auth's token, key value or password. */
export interface SecretsReplacement {
  headers?: Record<string, string> | undefined;
  env?: Record<string, string> | undefined;
  /** Secret query parameters of the address, by name. */
  query?: Record<string, string> | undefined;
  auth?: { token?: string | undefined; value?: string | undefined; password?: string | undefined } | undefined;
  /** A pre-registered OAuth client's secret, or a service's private key. */
  oauth?: { clientSecret?: string | undefined; privateKey?: string | undefined } | undefined;
}

const AUTH_FIELD: Record<AuthWithSecret['type'], 'token' | 'value' | 'password'> = { bearer: 'token', apiKey: 'value', basic: 'password' };

/**
 * Saves new values for secrets the server already has (a rotated token, one this machine cannot read) and returns
 * the server as preferences keep it from now on. A name it does not have is refused, not added: a typo must not
 * quietly send a new header, or give a command a variable the user never saw at confirmation. Nothing is saved unless
 * every name fits, and a key store that fails (or cannot give a value back) gets the old values back.
 */
export function replaceServerSecrets(secrets: ToolSecrets, server: ToolServerConfig, replacement: SecretsReplacement): ToolServerConfig {
  const named = `"${server.label}"`;
  const writes: [string, string][] = [];
  const moved: Moved = { headers: [], auth: false, env: [], query: [] };

  const headers = Object.entries(replacement.headers ?? {});
  if (headers.length && server.transport !== 'http') throw new CodaError('validation', `${named} is not an MCP server over HTTP: it sends no headers.`);
  const knownHeaders = headerNames(server);
  for (const [name, value] of headers) {
    // Header names are case-insensitive; the saved spelling is kept.
    const known = knownHeaders.find((n) => n.toLowerCase() === name.toLowerCase());
    if (!known) throw new CodaError('validation', `${named} has no header "${name}" to replace (${namesOf(knownHeaders, 'headers')}).`);
    writes.push([headerSecret(known), value]);
    moved.headers.push(known);
  }

  const env = Object.entries(replacement.env ?? {});
  if (env.length && server.transport !== 'stdio') throw new CodaError('validation', `${named} is not a command on this computer: it has no environment variables.`);
  const knownEnv = envSecretNames(server);
  for (const [name, value] of env) {
    if (!knownEnv.includes(name)) {
      throw new CodaError(
        'validation',
        name in server.env
          ? `${name} of ${named} is not kept as a secret, so there is nothing to replace (${namesOf(knownEnv, 'secret variables')}).`
          : `${named} has no secret environment variable "${name}" to replace (${namesOf(knownEnv, 'secret variables')}).`,
      );
    }
    writes.push([envSecret(name), value]);
    moved.env.push(name);
  }

  const query = Object.entries(replacement.query ?? {});
  if (query.length && server.transport === 'stdio') throw new CodaError('validation', `${named} is a command on this computer: it has no address with query parameters.`);
  const knownQuery = secretQueryNames(server);
  for (const [name, value] of query) {
    // Query names are case-sensitive, unlike header names: a server may read api_key and not API_KEY.
    if (!knownQuery.includes(name)) throw new CodaError('validation', `${named} has no secret query parameter "${name}" to replace (${namesOf(knownQuery, 'secret query parameters')}).`);
    // Kept as it goes in the address (see url-secrets): a typed key is encoded once, here.
    writes.push([querySecret(name), encodeURIComponent(value)]);
    moved.query.push(name);
  }

  if (replacement.auth) {
    const auth = server.auth;
    if (server.transport !== 'openapi' || !auth || auth.type === 'none') throw new CodaError('validation', `${named} has no token, API key or password to replace.`);
    const field = AUTH_FIELD[auth.type];
    const given = Object.entries(replacement.auth).filter(([, v]) => v !== undefined);
    const value = replacement.auth[field];
    if (value === undefined || given.length !== 1) throw new CodaError('validation', `${named} signs its calls with a ${AUTH_NAME[auth.type]}: give the new one as "${field}".`);
    writes.push([AUTH_SECRET[auth.type], value]);
    moved.auth = true;
  }
  if (replacement.oauth) {
    const client = server.transport === 'http' ? server.oauth : undefined;
    if (!client?.clientId) throw new CodaError('validation', `${named} has no OAuth client registered ahead, so there is no client secret or key to replace.`);
    if (replacement.oauth.clientSecret !== undefined) writes.push([CLIENT_SECRET_NAME, replacement.oauth.clientSecret]);
    if (replacement.oauth.privateKey !== undefined) {
      if (client.grant !== 'client_credentials') throw new CodaError('validation', `${named} signs in as you, in your browser: a private key is only for signing in as a service.`);
      writes.push([PRIVATE_KEY_NAME, replacement.oauth.privateKey]);
    }
  }
  if (writes.length === 0) throw new CodaError('validation', 'Give at least one new value to save.');

  const before = writes.map(([name]): [string, string | undefined] => [name, secrets.get(server.id, name)]);
  try {
    for (const [name, value] of writes) secrets.set(server.id, name, value);
    if (!writes.every(([name, value]) => secrets.get(server.id, name) === value)) throw new Error('the key store did not give it back');
  } catch (error) {
    try {
      for (const [name, value] of before) secrets.set(server.id, name, value ?? null);
    } catch {
      // The key store is failing altogether; the error below says so.
    }
    throw new CodaError('internal', `The new value for ${named} could not be saved: ${error instanceof Error ? error.message : String(error)}.`);
  }
  return withoutPlainCopies(server, moved);
}

function namesOf(names: string[], what: string): string {
  return names.length ? `its ${what}: ${names.join(', ')}` : `it has no ${what}`;
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

/**
 * The names of a command's secret variables: those in the key store, and (older files, not moved, see
 * `migrateServerSecrets`) those still in `env`.
 */
function envSecretNames(server: ToolServerConfig): string[] {
  return [...new Set([...(server.secretEnvNames ?? []), ...Object.keys(splitEnv(server.env).secret)])];
}

/** The environment a command gets: plain values, and secret ones from the key store (or, not yet moved, preferences). */
function resolveEnv(server: ToolServerConfig, secrets: ToolSecrets): Record<string, string> {
  const env = { ...server.env };
  for (const name of server.secretEnvNames ?? []) {
    const value = secrets.get(server.id, envSecret(name)) ?? server.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Variables whose name looks secret go to the key store; an empty value gives nothing away and stays readable. */
function splitEnv(env: Record<string, string>): { plain: Record<string, string>; secret: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) (isSecretEnvVariable(name, value) ? secret : plain)[name] = value;
  return { plain, secret };
}

/** The credentials to sign calls with; a token or key that was lost (kept only in memory, say) means none. */
function resolveAuth(serverId: string, auth: ToolServerAuth, secrets: ToolSecrets): OpenApiAuth {
  if (auth.type === 'none') return auth;
  const secret = savedAuthSecret(serverId, auth, secrets);
  if (auth.type === 'basic') return { type: 'basic', username: auth.username, password: secret ?? '' };
  if (secret === undefined) return { type: 'none' };
  return auth.type === 'bearer' ? { type: 'bearer', token: secret } : { type: 'apiKey', in: auth.in, name: auth.name, value: secret };
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

/** A secret variable as `env` shows it: never the value, at most its last 4 characters. */
function maskedValue(secret: SecretHint): string {
  return secret.saved ? `••••${secret.last4 ?? ''}` : '(not saved)';
}
