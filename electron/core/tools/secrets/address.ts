import { CodaError } from '../../../../shared/index.js';
import { isSecretQueryName } from './secret-names.js';

/*
 * Hosted MCP servers and OpenAPI descriptions are often given as an address with a key in its query
 * (`…/mcp?api_key=…`). Such values are kept like header values: preferences keep the address without them and their
 * names (`secretQueryNames`), the values are in the server's secrets record, and they go back into the address only
 * when it is used (`withQuery`). server-secrets.ts joins this with a server's other secrets.
 */

interface ParsedQuery {
  /** The address without query and fragment. */
  base: string;
  /**
   * Each parameter as typed (`raw`, so the others are sent exactly as they were); `value` decoded (to tell an empty
   * one), `rawValue` exactly as written: what is kept and sent back.
   */
  pieces: { raw: string; name: string; value: string; rawValue: string }[];
  hash: string;
}

/** `URL.parse` is newer than the Node that runs the CLI. */
function tryUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function parseQuery(url: string): ParsedQuery {
  const parsed = tryUrl(url);
  // Not an address (a hand-edited file): nothing in it can be split out.
  if (!parsed) return { base: url, pieces: [], hash: '' };
  const pieces = parsed.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((raw) => {
      const eq = raw.indexOf('=');
      const rawValue = eq < 0 ? '' : raw.slice(eq + 1);
      return { raw, name: decode(eq < 0 ? raw : raw.slice(0, eq)), value: decode(rawValue), rawValue };
    });
  const hash = parsed.hash;
  parsed.search = '';
  parsed.hash = '';
  return { base: parsed.href, pieces, hash };
}

const build = (query: ParsedQuery, raws: string[]): string => `${query.base}${raws.length ? `?${raws.join('&')}` : ''}${query.hash}`;

/** Keys are taken as written: `+` stays `+` (form decoding would make it a space, which no key holds). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Secret-looking parameters that have a value, each value exactly as written in the address (decoding and encoding
 * it again would turn a `+` into `%2B`, or a stray `%` into `%25`: another key on the wire). An empty one gives
 * nothing away and stays in the address.
 */
function secretParams(url: string): [string, string][] {
  return parseQuery(url)
    .pieces.filter((p) => p.value !== '' && isSecretQueryName(p.name))
    .map((p): [string, string] => [p.name, p.rawValue]);
}

function withoutParams(url: string, names: string[]): string {
  if (names.length === 0) return url;
  const query = parseQuery(url);
  return build(
    query,
    query.pieces.filter((p) => !names.includes(p.name)).map((p) => p.raw),
  );
}

/** The address with these parameters added at the end of its query, each value as it goes in an address. */
export function withQuery(url: string, values: Record<string, string>): string {
  const params = Object.entries(values);
  if (params.length === 0) return url;
  const query = parseQuery(url);
  return build(query, [...query.pieces.map((p) => p.raw), ...params.map(([name, value]) => `${encodeURIComponent(name)}=${value}`)]);
}

type AddressKind = 'http' | 'openapi';
const USE_INSTEAD: Record<AddressKind, string> = {
  http: 'give them as a header instead (Authorization: Basic …, or a bearer token)',
  openapi: "give them in the service's auth settings instead (basic auth with a username and password)",
};

/**
 * Checks an address being added and splits its secret parameters out: what preferences may keep, and the values
 * for the key store. A user name and password in the address are refused rather than kept: they would be saved in
 * plain text, and fetch refuses such addresses anyway. Messages name parameters, never their values.
 */
export function splitServerAddress(label: string, kind: AddressKind, url: string, baseUrl?: string): { url: string; query: Record<string, string> } {
  for (const [what, address] of [
    ['address', url],
    ['service address', baseUrl],
  ] as const) {
    if (address === undefined) continue;
    const parsed = tryUrl(address);
    if (parsed && (parsed.username || parsed.password)) {
      throw new CodaError(
        'validation',
        `The ${what} of "${label}" has a username or password in it (before "@"). Coda does not keep credentials in addresses: remove them and ${USE_INSTEAD[kind]}.`,
      );
    }
  }
  const inBase = baseUrl === undefined ? [] : secretParams(baseUrl).map(([name]) => name);
  if (inBase.length) {
    // Operation paths are appended to the service address, so a query there would not even reach the service intact.
    throw new CodaError(
      'validation',
      `The service address of "${label}" carries ${inBase.join(', ')} in its query: give it as the service's API key (in the query, named ${inBase[0]}) instead.`,
    );
  }
  const query = secretParams(url);
  const names = query.map(([name]) => name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new CodaError('validation', `The address of "${label}" gives the query parameter ${repeated} more than once; give it once.`);
  return { url: withoutParams(url, names), query: Object.fromEntries(query) };
}

/** An address for a message: secret-looking values replaced, so an error shown in Settings or a log gives none away. */
export function redactUrl(url: string): string {
  const query = parseQuery(url);
  const password = tryUrl(url)?.password;
  if (password) query.base = query.base.replace(`:${password}@`, ':••••@');
  if (!password && !query.pieces.some((p) => p.value !== '' && isSecretQueryName(p.name))) return url;
  return build(
    query,
    query.pieces.map((p) => (p.value !== '' && isSecretQueryName(p.name) ? `${p.raw.slice(0, p.raw.indexOf('='))}=••••` : p.raw)),
  );
}
