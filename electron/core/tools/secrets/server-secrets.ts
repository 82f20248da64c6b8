import { CodaError, type MethodInput, type MethodOutput } from '../../../../shared/index.js';
import { noSecrets, type ServerSecrets, type ToolSecrets } from '../../settings/tool-secrets.js';
import type { ServiceAuth, ToolServerConfig } from '../../settings/tool-servers.js';
import type { OpenApiAuth, ServerConfig } from '../sources/source.js';
import { splitServerAddress, withQuery } from './address.js';
import { isSecretEnvVariable } from './secret-names.js';

/*
 * A tool server's secrets (header values, a command's secret environment variables, keys in its address, an OpenAPI
 * service's token, key or password, an OAuth client's secret or private key) are one record in ToolSecrets; its saved
 * configuration keeps only their names. This module is the one place that splits the two when a server is added or
 * a value replaced, joins them when the server starts, and shows them as hints.
 */

/** A server as the user typed it (or a Claude config gave it), secrets and all. */
export type NewServer = NonNullable<MethodInput<'tools.addServers'>['servers']>[number];

/** Checks a new server and splits it into what preferences keep and the record for the key store. */
/** `origin`: an OpenAPI service's, as resolved for its confirmation (see sources/openapi/service-origin.ts). */
export function splitNewServer(id: string, input: NewServer, origin: string | null = null): { config: ToolServerConfig; secrets: ServerSecrets } {
  const base = { id, label: input.label, confirmed: false, trusted: false };
  if ('command' in input) {
    const env: Record<string, string> = {};
    const secretEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.env)) (isSecretEnvVariable(name, value) ? secretEnv : env)[name] = value;
    return {
      config: { ...base, transport: 'stdio', command: input.command, args: input.args, env, secretEnvNames: Object.keys(secretEnv) },
      secrets: { ...noSecrets(), env: secretEnv },
    };
  }
  if ('openapi' in input) {
    const { url, query } = splitServerAddress(input.label, 'openapi', input.openapi, input.baseUrl);
    const { auth, secret } = splitAuth(input.auth ?? { type: 'none' });
    return {
      config: { ...base, transport: 'openapi', url, secretQueryNames: Object.keys(query), ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}), origin, auth },
      secrets: { ...noSecrets(), query, ...(secret === undefined ? {} : { auth: secret }) },
    };
  }
  const { url, query } = splitServerAddress(input.label, 'http', input.url);
  const { clientSecret, privateKey, ...oauth } = input.oauth ?? {};
  const headers = input.headers ?? {};
  return {
    config: {
      ...base,
      transport: 'http',
      url,
      secretQueryNames: Object.keys(query),
      headerNames: Object.keys(headers),
      ...(Object.values(oauth).some((v) => v !== undefined) ? { oauth } : {}),
    },
    secrets: { ...noSecrets(), headers, query, ...(clientSecret ? { clientSecret } : {}), ...(privateKey ? { privateKey } : {}) },
  };
}

/** The configuration a source starts with: the saved one with its secrets filled in. */
export function runtimeConfig(server: ToolServerConfig, secrets: ToolSecrets): ServerConfig {
  const saved = secrets.read(server.id);
  const missing: string[] = [];
  const values = (names: string[], from: Record<string, string>, what: string): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const name of names) {
      const value = from[name];
      if (value === undefined) missing.push(`value of the ${name} ${what}`);
      else found[name] = value;
    }
    return found;
  };
  const common = { id: server.id, label: server.label, timeoutMs: server.timeoutMs };
  if (server.transport === 'stdio') {
    const env = { ...server.env, ...values(server.secretEnvNames, saved.env, 'environment variable') };
    return { ...common, command: server.command, args: server.args, env, ...unreadable(missing, secrets) };
  }
  const url = withQuery(server.url, values(server.secretQueryNames, saved.query, 'query parameter'));
  if (server.transport === 'http') {
    const headers = values(server.headerNames, saved.headers, 'header');
    const oauth = server.oauth && { ...server.oauth, clientSecret: saved.clientSecret, privateKey: saved.privateKey };
    return { ...common, transport: 'http', url, headers, oauth, ...unreadable(missing, secrets) };
  }
  const auth = withSecret(server.auth, saved.auth);
  if (!auth && server.auth.type !== 'none') missing.push(AUTH_NAME[server.auth.type]);
  return {
    ...common,
    transport: 'openapi',
    specUrl: url,
    baseUrl: server.baseUrl,
    origin: server.origin,
    auth: auth ?? { type: 'none' },
    ...unreadable(missing, secrets),
  };
}

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

type ServerView = MethodOutput<'tools.servers'>['servers'][number];
type SecretsView = Pick<ServerView, 'url' | 'headers' | 'secretQuery' | 'auth' | 'env' | 'secretEnv' | 'oauthClient'>;
type SecretHint = { saved: boolean; last4: string | null };

/** What `tools.servers` shows of a server's secrets: names and types, each value only as a hint (as for provider keys). */
export function describeSecrets(server: ToolServerConfig, secrets: ToolSecrets): SecretsView {
  const saved = secrets.read(server.id);
  const hints = (names: string[], values: Record<string, string>) => names.map((name) => ({ name, ...hint(values[name]) }));
  const masked = (names: string[], values: Record<string, string>) => Object.fromEntries(names.map((name) => [name, maskedValue(hint(values[name]))]));
  const none: SecretsView = { url: null, headers: [], secretQuery: [], auth: null, env: {}, secretEnv: [], oauthClient: null };
  if (server.transport === 'stdio') {
    // Every variable the command gets, secret ones masked: the user sees all of it before confirming.
    return { ...none, env: { ...server.env, ...masked(server.secretEnvNames, saved.env) }, secretEnv: hints(server.secretEnvNames, saved.env) };
  }
  const address = { url: withQuery(server.url, masked(server.secretQueryNames, saved.query)), secretQuery: hints(server.secretQueryNames, saved.query) };
  if (server.transport === 'openapi') {
    const auth = server.auth;
    if (auth.type === 'none') return { ...none, ...address };
    const where = {
      in: auth.type === 'apiKey' ? auth.in : null,
      name: auth.type === 'apiKey' ? auth.name : null,
      username: auth.type === 'basic' ? auth.username : null,
    };
    return { ...none, ...address, auth: { type: auth.type, ...where, ...hint(saved.auth) } };
  }
  const client = server.oauth;
  const asService = client?.grant === 'client_credentials';
  const oauthClient = client?.clientId
    ? {
        clientId: client.clientId,
        asService,
        // A service that signs JWTs with its key has no secret to show.
        secret: asService && saved.privateKey !== undefined && saved.clientSecret === undefined ? null : hint(saved.clientSecret),
        privateKey: asService ? hint(saved.privateKey) : null,
      }
    : null;
  return { ...none, ...address, headers: hints(server.headerNames, saved.headers), oauthClient };
}

/** New values for secrets a server already has: by header, variable or query parameter name, and the auth's secret. */
export type SecretsReplacement = Omit<MethodInput<'tools.updateSecrets'>, 'id'>;

/**
 * The server's record with new values for secrets it already has (a rotated token, one this machine cannot read).
 * A name it does not have is refused, not added: a typo must not quietly send a new header, or give a command a
 * variable the user never saw at confirmation. Nothing changes unless every name fits.
 */
export function replaceSecrets(server: ToolServerConfig, saved: ServerSecrets, replacement: SecretsReplacement): ServerSecrets {
  const named = `"${server.label}"`;
  const next: ServerSecrets = { ...saved, headers: { ...saved.headers }, env: { ...saved.env }, query: { ...saved.query } };
  let count = 0;

  const headers = Object.entries(replacement.headers ?? {});
  if (headers.length && server.transport !== 'http') throw new CodaError('validation', `${named} is not an MCP server over HTTP: it sends no headers.`);
  for (const [name, value] of headers) {
    const known = server.transport === 'http' ? server.headerNames : [];
    // Header names are case-insensitive; the saved spelling is kept.
    const header = known.find((n) => n.toLowerCase() === name.toLowerCase());
    if (!header) throw new CodaError('validation', `${named} has no header "${name}" to replace (${namesOf(known, 'headers')}).`);
    next.headers[header] = value;
    count++;
  }

  const env = Object.entries(replacement.env ?? {});
  if (env.length && server.transport !== 'stdio')
    throw new CodaError('validation', `${named} is not a command on this computer: it has no environment variables.`);
  for (const [name, value] of env) {
    const known = server.transport === 'stdio' ? server.secretEnvNames : [];
    if (!known.includes(name)) {
      const plain = server.transport === 'stdio' && name in server.env;
      const message = plain
        ? `${name} of ${named} is not kept as a secret, so there is nothing to replace`
        : `${named} has no secret environment variable "${name}" to replace`;
      throw new CodaError('validation', `${message} (${namesOf(known, 'secret variables')}).`);
    }
    next.env[name] = value;
    count++;
  }

  const query = Object.entries(replacement.query ?? {});
  if (query.length && server.transport === 'stdio')
    throw new CodaError('validation', `${named} is a command on this computer: it has no address with query parameters.`);
  for (const [name, value] of query) {
    const known = server.transport === 'stdio' ? [] : server.secretQueryNames;
    // Query names are case-sensitive, unlike header names: a server may read api_key and not API_KEY.
    if (!known.includes(name))
      throw new CodaError('validation', `${named} has no secret query parameter "${name}" to replace (${namesOf(known, 'secret query parameters')}).`);
    // Kept as it goes in the address (see address.ts): a typed key is encoded once, here.
    next.query[name] = encodeURIComponent(value);
    count++;
  }

  if (replacement.auth) {
    const auth = server.transport === 'openapi' ? server.auth : undefined;
    if (!auth || auth.type === 'none') throw new CodaError('validation', `${named} has no token, API key or password to replace.`);
    const field = AUTH_FIELD[auth.type];
    const value = replacement.auth[field];
    const given = Object.values(replacement.auth).filter((v) => v !== undefined);
    if (value === undefined || given.length !== 1)
      throw new CodaError('validation', `${named} signs its calls with a ${AUTH_NAME[auth.type]}: give the new one as "${field}".`);
    next.auth = value;
    count++;
  }

  if (replacement.oauth) {
    const client = server.transport === 'http' ? server.oauth : undefined;
    if (!client?.clientId) throw new CodaError('validation', `${named} has no OAuth client registered ahead, so there is no client secret or key to replace.`);
    const { clientSecret, privateKey } = replacement.oauth;
    if (privateKey !== undefined && client.grant !== 'client_credentials') {
      throw new CodaError('validation', `${named} signs in as you, in your browser: a private key is only for signing in as a service.`);
    }
    if (clientSecret !== undefined) next.clientSecret = clientSecret;
    if (privateKey !== undefined) next.privateKey = privateKey;
    count += Number(clientSecret !== undefined) + Number(privateKey !== undefined);
  }
  if (count === 0) throw new CodaError('validation', 'Give at least one new value to save.');
  return next;
}

type AuthWithSecret = Exclude<ServiceAuth, { type: 'none' }>;
const AUTH_NAME: Record<AuthWithSecret['type'], string> = { bearer: 'bearer token', apiKey: 'API key', basic: 'password' };
const AUTH_FIELD: Record<AuthWithSecret['type'], 'token' | 'value' | 'password'> = { bearer: 'token', apiKey: 'value', basic: 'password' };

function namesOf(names: string[], what: string): string {
  return names.length ? `its ${what}: ${names.join(', ')}` : `it has no ${what}`;
}

function splitAuth(auth: OpenApiAuth): { auth: ServiceAuth; secret?: string } {
  if (auth.type === 'bearer') return { auth: { type: 'bearer' }, secret: auth.token };
  if (auth.type === 'apiKey') return { auth: { type: 'apiKey', in: auth.in, name: auth.name }, secret: auth.value };
  if (auth.type === 'basic') return { auth: { type: 'basic', username: auth.username }, secret: auth.password };
  return { auth };
}

/** The credentials to sign calls with; undefined when their secret is not saved (or cannot be read here). */
function withSecret(auth: ServiceAuth, secret: string | undefined): OpenApiAuth | undefined {
  if (auth.type === 'none') return auth;
  if (secret === undefined) return undefined;
  if (auth.type === 'bearer') return { type: 'bearer', token: secret };
  return auth.type === 'apiKey' ? { ...auth, value: secret } : { ...auth, password: secret };
}

/** Same policy as provider keys: a hint only when the value is long enough that 4 characters give nothing away. */
function hint(value: string | undefined): SecretHint {
  return { saved: value !== undefined, last4: value !== undefined && value.length >= 8 ? value.slice(-4) : null };
}

/** A secret as an address or the environment shows it: never the value, at most its last 4 characters. */
function maskedValue(secret: SecretHint): string {
  return secret.saved ? `••••${secret.last4 ?? ''}` : '(not saved)';
}
