import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Characters of an id's end replaced by a rename; ids shorter than MIN_LENGTH are renamed to that many characters. */
const RENAMED_TAIL = 8;
const MIN_LENGTH = 3;

/**
 * The id to send a call's result back under. A provider may give two calls of one turn the same id (a proxy, a
 * self-hosted server); each needs its own result, so a repeated id is renamed. The new id keeps the old one's
 * length and ends in letters and digits, a shape every wire format takes (Mistral wants exactly 9 of them,
 * Anthropic letters, digits, _ and -).
 */
export function uniqueProviderCallId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  const length = Math.max(id.length, MIN_LENGTH);
  const keep = Math.max(0, length - RENAMED_TAIL);
  for (;;) {
    let tail = '';
    while (keep + tail.length < length) tail += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
    const candidate = id.slice(0, keep) + tail;
    if (!taken.has(candidate)) return candidate;
  }
}
