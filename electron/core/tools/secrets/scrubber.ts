/*
 * Replaces secret values in text a tool server sends back (a tool's result, an error, its last stderr output), so a
 * token masked in Settings is not shown in full elsewhere, or sent to the model. A server may echo a value as it
 * got it, or in the encodings it is commonly passed on in: URL-encoded (a query parameter), JSON-escaped, base64
 * (a basic-auth header, `user:password`), the credential alone without its `Bearer`/`Basic` scheme. Each of those
 * forms is replaced.
 */

/** What a secret value becomes: the mask Settings shows for saved secrets. */
export const SCRUBBED = '••••';

/**
 * Values shorter than this are left alone: replacing `abc` everywhere would destroy ordinary text, and a secret so
 * short gives little away. (Settings shows no hint of values this short either.)
 */
export const MIN_SECRET_LENGTH = 4;

export interface Scrubber {
  /** Whether there is anything to replace at all. */
  readonly empty: boolean;
  text(text: string): string;
  /** Every string in a JSON-like value (object keys too), in a copy; other values as they are. */
  value<T>(value: T): T;
}

/** A scrubber for these secret values and the common encodings of each. */
export function createScrubber(secrets: Iterable<string>): Scrubber {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
  // Longest first, so a value that contains another (a header value and its token) is replaced whole.
  const ordered = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const text = (input: string): string => ordered.reduce((out, form) => (out.includes(form) ? out.split(form).join(SCRUBBED) : out), input);
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (isPlainObject(input)) return Object.fromEntries(Object.entries(input).map(([key, item]) => [text(key), value(item)]));
    return input;
  };
  return {
    empty: ordered.length === 0,
    text: (input) => (ordered.length ? text(input) : input),
    // Strings are replaced by strings and containers are copied with the same shape, so the type holds.
    value: <T>(input: T): T => (ordered.length ? (value(input) as T) : input),
  };
}

/** A value and the forms a server may echo it in; a secret too short to replace gives none. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const values = [secret, ...credentialParts(secret)];
  return values.flatMap((value) => [
    value,
    encodeURIComponent(value),
    // Form encoding (`application/x-www-form-urlencoded`): spaces as `+`, and a few more characters escaped.
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value).toString('base64'),
    ...base64Cores(value),
  ]);
}

/**
 * The value's base64 wherever it sits in an encoded text (`user:password` with a user name this server did not
 * tell, say): base64 encodes 3 bytes as 4 characters, so the value encodes one of three ways, by its offset. Each
 * way's characters that depend on the value alone are a form; the one or two at each end that mix in a neighbour's
 * bits are left, and give away at most a byte or two. In the standard and the URL-safe alphabets.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value);
  return [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    // Too short a core would match ordinary text by chance.
    return core.length < 8 ? [] : [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
  });
}

/**
 * The credential inside an authorization value: `Bearer <token>` gives the token, `Basic <base64>` the encoded
 * pair, the pair `user:password` and the password; such a value may be echoed in part.
 */
function credentialParts(value: string): string[] {
  // Known schemes only: a password of two words ("correct horse") must not make every "horse" a secret.
  const scheme = /^(bearer|basic|token|bot|apikey|api-key|dpop)\s+(\S+)$/i.exec(value.trim());
  if (!scheme?.[1] || !scheme[2]) return [];
  const credential = scheme[2];
  if (scheme[1].toLowerCase() !== 'basic') return [credential];
  const pair = Buffer.from(credential, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return colon < 0 ? [credential] : [credential, pair, pair.slice(colon + 1)];
}

/** The `user:password` pair of basic auth, as a secret of its own (its base64 is what goes on the wire). */
export function basicAuthPair(username: string, password: string): string {
  return `${username}:${password}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
