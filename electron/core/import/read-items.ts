import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import Tokenizer from '@streamparser/json/tokenizer.js';
import TokenParser from '@streamparser/json/tokenparser.js';
import TokenType from '@streamparser/json/utils/types/tokenType.js';
import type { ParsedTokenInfo } from '@streamparser/json/utils/types/parsedTokenInfo.js';
import { CodaError } from '../../../shared/index.js';
import type { ItemsLocation } from './formats/types.js';
import { IMPORT_LIMITS, invalid, PROTOTYPE_KEYS, type ImportLimits } from './limits.js';

/**
 * Streams a JSON file's conversations one at a time: memory holds the item being parsed (and one read chunk), never
 * the file. @streamparser/json's tokenizer turns bytes into tokens; before each token reaches its token parser (which
 * builds the values), `Guard` applies the untrusted-input checks: nesting depth, string length (measured while the
 * string is still arriving, so a huge one is refused before it is whole), prototype keys (refused at their colon,
 * before the parser could assign them), and the top-level shape. It also keeps the top-level scalars (a Coda
 * export's `format` and `version`) as the head, whatever their order in the file.
 */

export type Head = Record<string, string | number | boolean | null>;
export type ReadItem = { index: number; item: unknown; head: Head };
export type ReadSummary = { head: Head; items: number; bytes: number; foundItems: boolean };

const SCALARS = new Set<TokenType>([TokenType.STRING, TokenType.NUMBER, TokenType.TRUE, TokenType.FALSE, TokenType.NULL]);

class Guard {
  depth = 0;
  items = 0;
  head: Head = {};
  foundItems = false;
  private lastString: string | null = null;
  private lastKey = '';
  /** A top-level key whose value comes next (the head, or the items list). */
  private topKey: string | null = null;
  started = false;
  /** Where the last token began, for errors the token parser raises without one. */
  offset = 0;

  constructor(
    private readonly location: ItemsLocation,
    private readonly limits: ImportLimits,
  ) {}

  /** Throws a CodaError when the token breaks a limit; returns whether the token parser should see it. */
  check({ token, value, partial, offset }: ParsedTokenInfo): boolean {
    this.offset = offset;
    if (token === TokenType.STRING && typeof value === 'string' && value.length > this.limits.maxStringLength) {
      throw this.fail(offset, `the value of "${this.lastKey}" is a string of more than ${this.limits.maxStringLength} characters.`);
    }
    if (partial) return false;
    if (!this.started) {
      this.started = true;
      this.checkRoot(token, offset);
    }
    if (this.topKey !== null) {
      const key = this.topKey;
      this.topKey = null;
      if (this.location.kind === 'key' && key === this.location.key) {
        if (token !== TokenType.LEFT_BRACKET) throw this.fail(offset, `"${key}" is not a list.`);
        this.foundItems = true;
      } else if (SCALARS.has(token)) this.head[key] = value as Head[string];
    }
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        if (++this.depth > this.limits.maxDepth) throw this.fail(offset, `it nests arrays and objects more than ${this.limits.maxDepth} deep.`);
        break;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.depth--;
        break;
      case TokenType.STRING:
        this.lastString = value as string;
        break;
      case TokenType.COLON: {
        const key = this.lastString ?? '';
        if (PROTOTYPE_KEYS.has(key)) throw this.fail(offset, `it contains the key "${key}", which is not allowed in an import.`);
        this.lastKey = key;
        if (this.depth === 1) this.topKey = key;
        break;
      }
    }
    return true;
  }

  private checkRoot(token: TokenType, offset: number): void {
    const kind = this.location.kind;
    if (kind === 'root-array' && token !== TokenType.LEFT_BRACKET) throw this.fail(offset, 'it is not a JSON list (of conversations).');
    if (kind !== 'root-array' && token !== TokenType.LEFT_BRACE) throw this.fail(offset, 'it is not a JSON object.');
    if (kind !== 'key') this.foundItems = true;
  }

  fail(offset: number, message: string): CodaError {
    return invalid(`${message} (at byte ${Math.max(offset, 0)}, in item ${this.items})`);
  }
}

function pathsFor(location: ItemsLocation): string[] {
  switch (location.kind) {
    case 'root-array':
      return ['$.*'];
    case 'key':
      return [`$.${location.key}.*`];
    case 'root-object':
      return ['$'];
  }
}

/** The conversation items at `location`, in order; the generator's return value says what the whole file held. */
export async function* readItems(
  source: string | Readable,
  location: ItemsLocation,
  options: { limits?: ImportLimits; onBytes?: (bytesRead: number) => void } = {},
): AsyncGenerator<ReadItem, ReadSummary> {
  const guard = new Guard(location, options.limits ?? IMPORT_LIMITS);
  // Partial tokens let the guard measure a string as it arrives; a 64 KB buffer keeps long strings cheap to build.
  const tokenizer = new Tokenizer({ emitPartialTokens: true, stringBufferSize: 64 * 1024 });
  const parser = new TokenParser({ paths: pathsFor(location), keepStack: false });
  // Items finished by the chunk just written, numbered as they finish (so an error names the item being read).
  const ready: { index: number; item: unknown }[] = [];
  let ended = false;
  let bytes = 0;
  tokenizer.onToken = (info) => {
    if (guard.check(info)) parser.write(info);
  };
  parser.onValue = ({ value }) => {
    ready.push({ index: guard.items++, item: value });
  };
  parser.onEnd = () => {
    ended = true;
  };
  const malformed = (error: unknown, atEnd = false): CodaError => {
    if (error instanceof CodaError) return error;
    const message = (error as Error).message;
    const detail = /absolute position/.test(message)
      ? message.replace(/ at chunk position "\d+" \(absolute position "(\d+)"\)/, ' at byte $1')
      : `${message} at byte ${guard.offset}`;
    return invalid(`it is not valid JSON (in item ${guard.items}: ${detail})${atEnd ? '; it may be truncated' : ''}.`);
  };
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 64 * 1024 }) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (ended && data.toString('utf8').trim() !== '') throw invalid(`it has more after its JSON value ends (at byte ${bytes}).`);
      try {
        if (!ended) tokenizer.write(data);
      } catch (error) {
        throw malformed(error);
      }
      bytes += data.length;
      options.onBytes?.(bytes);
      for (let next = ready.shift(); next; next = ready.shift()) yield { ...next, head: guard.head };
    }
  } finally {
    stream.destroy();
  }
  if (!guard.started) throw invalid('it is empty.');
  if (!ended) {
    try {
      tokenizer.end();
    } catch (error) {
      throw malformed(error, true);
    }
    if (!ended) throw invalid(`it is not valid JSON (it ends at byte ${bytes}, in the middle of item ${guard.items}); it may be truncated.`);
  }
  for (let next = ready.shift(); next; next = ready.shift()) yield { ...next, head: guard.head };
  return { head: guard.head, items: guard.items, bytes, foundItems: guard.foundItems };
}
