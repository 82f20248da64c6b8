import { readFile } from 'node:fs/promises';
import { checkChat } from '../../electron/core/import/chat-checks.js';
import { importChat, reportOf } from '../../electron/core/import/coda-import.js';
import type { ImportWriter } from '../../electron/core/store/repositories/import-writer.js';
import { CodaError, EXPORT_FORMAT, EXPORT_VERSION, ExportDocument, type ExportDocument as Doc, type ImportReport } from '../../shared/index.js';

/**
 * THE BENCH'S BASELINE ONLY: the import as it was before docs/decisions/0033 (read the whole file, parse it whole,
 * validate, then write), kept so `export-import` measures the streaming import against it in the same run.
 *
 * Reading a Coda export for import: the file is untrusted, so it is checked for size, nesting, string length and
 * prototype keys before anything else looks at it, then validated against the export schema (the same zod schema the
 * writer uses) and for the links between its records (parents before children, steps and summaries in the chat).
 * Every error names the record (chat index and id, message id) and the field (the zod path). The per-chat checks are
 * the current ones (chat-checks.ts), which are what the old ones became.
 */

const IMPORT_LIMITS = {
  /** Files above this are refused before reading (a streaming parser for bigger files comes later). */
  maxBytes: 256 * 1024 * 1024,
  /** Arrays and objects inside each other; a real export nests about 12 deep (tool arguments add a few). */
  maxDepth: 64,
  /** One string (a message text, a tool output) of more than this is refused. */
  maxStringLength: 32 * 1024 * 1024,
};

type Limits = typeof IMPORT_LIMITS;

/** Keys that would reach Object.prototype if a later reader copied the object carelessly. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function invalid(message: string): CodaError {
  return new CodaError('validation', `Cannot import this file: ${message}`);
}

/** Deepest nesting of arrays and objects, counted without parsing (so a hostile file cannot exhaust the stack). */
function nestingDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

/** Parses and validates a whole export; throws a CodaError('validation') naming what is wrong and where. */
function parseCodaExport(text: string, limits: Limits = IMPORT_LIMITS): Doc {
  if (Buffer.byteLength(text) > limits.maxBytes) throw invalid(`it is larger than ${limits.maxBytes / 1024 / 1024} MB.`);
  if (text.trim() === '') throw invalid('it is empty.');
  if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) throw invalid(`it nests arrays and objects more than ${limits.maxDepth} deep.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text, function (this: unknown, key: string, value: unknown) {
      if (PROTOTYPE_KEYS.has(key)) throw invalid(`it contains the key "${key}", which is not allowed in an export.`);
      if (typeof value === 'string' && value.length > limits.maxStringLength) {
        throw invalid(`the value of "${key}" is a string of ${value.length} characters (at most ${limits.maxStringLength}).`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof CodaError) throw error;
    throw invalid(`it is not valid JSON (${(error as Error).message}); it may be truncated.`);
  }
  return validate(raw);
}

function validate(raw: unknown): Doc {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('it is not a JSON object.');
  const head = raw as Record<string, unknown>;
  if (head.format !== EXPORT_FORMAT) throw invalid(`it is not a Coda export (its "format" is ${JSON.stringify(head.format ?? null)}, not "${EXPORT_FORMAT}").`);
  if (head.version !== EXPORT_VERSION) {
    throw invalid(`it is a Coda export of version ${JSON.stringify(head.version ?? null)}; this app reads version ${EXPORT_VERSION}. A newer app may read it.`);
  }
  if (!Array.isArray(head.chats)) throw invalid('"chats" is not an array.');
  // Each chat on its own first, so the error names the chat (and the message) rather than a long path.
  head.chats.forEach((chat: unknown, index) => checkChat(chat, index));
  const result = ExportDocument.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(`field ${issue.path.map(String).join('.') || '(document)'}: ${issue.message}.`);
  }
  const seen = new Set<string>();
  result.data.chats.forEach((chat, index) => {
    if (seen.has(chat.id)) throw invalid(`chat ${index} (${chat.id}) appears twice in the file.`);
    seen.add(chat.id);
  });
  return result.data;
}

/** The old `importCodaFile`: the whole file in memory, parsed and checked, then each chat written. */
export async function wholeFileImport(file: string, writer: ImportWriter): Promise<ImportReport> {
  const doc = parseCodaExport(await readFile(file, 'utf8'));
  const chats = [];
  const copiedIds = new Map<string, string>();
  for (const chat of doc.chats) chats.push(await importChat(chat, writer, 'copy', copiedIds));
  return reportOf(chats);
}
