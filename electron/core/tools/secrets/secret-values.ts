import type { ServerSecrets } from '../../settings/tool-secrets.js';
import type { ServerConfig } from '../sources/source.js';
import { splitServerAddress } from './address.js';
import { basicAuthPair } from './scrubber.js';
import { isSecretEnvVariable } from './secret-names.js';

/**
 * Every secret value one tool server holds, to keep out of what it sends back: its saved secrets record (header
 * values, secret variables, keys in its address, an OpenAPI service's credential, an OAuth client's secret or key,
 * its OAuth tokens), and the secrets of a configuration that is not saved (a CLI `--mcp-config` file): variables
 * that look secret by name or value, header values, keys in the address.
 */
export function secretValuesOf(config: ServerConfig, saved: ServerSecrets): string[] {
  const values = [...Object.values(saved.headers), ...Object.values(saved.env), ...Object.values(saved.query).flatMap(withDecoded)];
  for (const value of [saved.auth, saved.clientSecret, saved.privateKey]) if (value !== undefined) values.push(value);
  const { tokens, client } = saved.oauth ?? {};
  for (const value of [tokens?.access_token, tokens?.refresh_token, tokens?.id_token, client?.client_secret]) {
    if (typeof value === 'string') values.push(value);
  }
  if (config.transport === 'http') {
    values.push(...Object.values(config.headers ?? {}), ...addressKeys(config.label, config.url));
    for (const value of [config.oauth?.clientSecret, config.oauth?.privateKey]) if (value !== undefined) values.push(value);
  } else if (config.transport === 'openapi') {
    values.push(...addressKeys(config.label, config.specUrl));
    const auth = config.auth;
    if (auth?.type === 'bearer') values.push(auth.token);
    if (auth?.type === 'apiKey') values.push(auth.value);
    if (auth?.type === 'basic') values.push(auth.password, basicAuthPair(auth.username, auth.password));
  } else {
    for (const [name, value] of Object.entries(config.env ?? {})) if (isSecretEnvVariable(name, value)) values.push(value);
  }
  return values;
}

/** The secret query parameters' values of an address, as written and decoded. */
function addressKeys(label: string, url: string | undefined): string[] {
  if (!url) return [];
  try {
    return Object.values(splitServerAddress(label, 'http', url).query).flatMap(withDecoded);
  } catch {
    // An address with a password in it is refused when added; one from elsewhere keeps what the record has.
    return [];
  }
}

function withDecoded(value: string): string[] {
  try {
    return [value, decodeURIComponent(value)];
  } catch {
    return [value];
  }
}
