import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CodaError, type ImportedChatOutcome, type ImportReport } from '../../../shared/index.js';
import type { ImportWriter } from '../store/repositories/import-writer.js';
import { checkChat } from './chat-checks.js';
import { importChat, reportOf, type ConflictMode } from './coda-import.js';
import { detectFormat, formatById, type ImportFormat, type ImportFormatId } from './formats/index.js';
import { IMPORT_LIMITS, invalid, tooBig, type ImportLimits } from './limits.js';
import { readItems, type ReadItem, type ReadSummary } from './read-items.js';

/**
 * Imports a file of conversations in two streaming passes, so memory stays bounded by the largest conversation and a
 * bad file leaves nothing half-written: the first pass reads and checks every item (shape, limits, each chat against
 * the export schema and its links, duplicate ids, a Coda export's head) and writes nothing; the second reads the file
 * again and writes each chat in its own transaction through the conflict choice. See docs/decisions/0033.
 */

export type ImportFrom = ImportFormatId | 'auto';

export type ImportProgress = {
  phase: 'checking' | 'importing';
  bytesRead: number;
  totalBytes: number;
  chatsDone: number;
  /** Known once the first pass has counted them. */
  chatsTotal: number | null;
};

type Source = { size: number; open(): Readable; head(): Promise<string>; stamp(): Promise<string> };

export type ImportOptions = {
  from: ImportFrom;
  writer: ImportWriter;
  onConflict: ConflictMode;
  onProgress?: (progress: ImportProgress) => void;
  limits?: ImportLimits;
};

const HEAD_BYTES = 64 * 1024;
/** At most ten progress events a second; the first and last of each phase always go out. */
const PROGRESS_INTERVAL_MS = 100;

function fileSource(file: string, size: number): Source {
  return {
    size,
    open: () => createReadStream(file, { highWaterMark: HEAD_BYTES }),
    async head() {
      const handle = await open(file, 'r');
      try {
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    },
    stamp: async () => {
      const now = await stat(file);
      return `${now.size}:${now.mtimeMs}`;
    },
  };
}

/** Reads and imports a file (`coda import`, Settings › Import once its pieces are uploaded). */
export async function importFile(options: ImportOptions & { file: string }): Promise<ImportReport> {
  const info = await stat(options.file).catch(() => null);
  if (!info?.isFile()) throw new CodaError('not_found', `No file at ${options.file}.`);
  return run(fileSource(options.file, info.size), options);
}

/** The same for a text already in memory (a small file the app sent whole). */
export async function importText(options: ImportOptions & { text: string }): Promise<ImportReport> {
  const bytes = Buffer.from(options.text, 'utf8');
  const source: Source = {
    size: bytes.length,
    // Pieces of 64 KB, as a file is read, so the text goes through exactly the file's path.
    open: () => Readable.from(chunks(bytes)),
    head: async () => bytes.subarray(0, HEAD_BYTES).toString('utf8'),
    stamp: async () => 'text',
  };
  return run(source, options);
}

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += HEAD_BYTES) yield bytes.subarray(at, at + HEAD_BYTES);
}

async function run(source: Source, options: ImportOptions): Promise<ImportReport> {
  const limits = options.limits ?? IMPORT_LIMITS;
  if (source.size > limits.maxBytes) throw tooBig(source.size, limits);
  if (source.size === 0) throw invalid('it is empty.');
  const format = options.from === 'auto' ? detectFormat(await source.head()) : formatById(options.from);
  const progress = new Progress(source.size, options.onProgress);
  const stamp = await source.stamp();
  const chatsTotal = await check(source, format, limits, progress);
  if ((await source.stamp()) !== stamp) throw invalid('it changed while it was being read; import it again.');
  progress.chatsTotal = chatsTotal;
  const outcomes: ImportedChatOutcome[] = [];
  const copiedIds = new Map<string, string>();
  await eachItem(
    readItems(source.open(), format.items, { limits, onBytes: (b) => progress.update('importing', b, outcomes.length) }),
    async ({ item, index }) => {
      for (const chat of format.toChats(item, index)) {
        outcomes.push(await importChat(checkChat(chat, index), options.writer, options.onConflict, copiedIds));
        progress.update('importing', progress.bytesRead, outcomes.length);
      }
    },
  );
  progress.update('importing', source.size, outcomes.length, true);
  return reportOf(outcomes);
}

/** The first pass: every check, nothing written. Returns how many chats the second pass will write. */
async function check(source: Source, format: ImportFormat, limits: ImportLimits, progress: Progress): Promise<number> {
  const ids = new Set<string>();
  // A Coda export's head may come after its chats; an error in a chat waits until the head is known to be right, so a
  // foreign file is called foreign rather than a bad chat.
  let headSettled = !format.checkHead;
  let held: unknown = null;
  progress.update('checking', 0, 0, true);
  const summary = await eachItem(
    readItems(source.open(), format.items, { limits, onBytes: (b) => progress.update('checking', b, ids.size) }),
    ({ item, index, head }) => {
      if (!headSettled) headSettled = format.checkHead!(head, false);
      if (held !== null) return;
      try {
        for (const raw of format.toChats(item, index)) {
          const chat = checkChat(raw, index);
          if (ids.has(chat.id)) throw invalid(`chat ${index} (${chat.id}) appears twice in the file.`);
          ids.add(chat.id);
        }
      } catch (error) {
        if (headSettled) throw error;
        held = error;
      }
    },
  );
  format.checkHead?.(summary.head, true);
  if (!summary.foundItems && format.items.kind === 'key') throw invalid(`it has no "${format.items.key}" list.`);
  if (held !== null) throw held;
  progress.update('checking', source.size, ids.size, true);
  return ids.size;
}

/** Runs `each` on every item in turn; stops the reader (closing the file) when `each` throws. */
async function eachItem(items: AsyncGenerator<ReadItem, ReadSummary>, each: (item: ReadItem) => void | Promise<void>): Promise<ReadSummary> {
  let done = false;
  try {
    for (;;) {
      const next = await items.next();
      if (next.done) {
        done = true;
        return next.value;
      }
      await each(next.value);
    }
  } finally {
    if (!done) await items.return({ head: {}, items: 0, bytes: 0, foundItems: false });
  }
}

class Progress {
  chatsTotal: number | null = null;
  bytesRead = 0;
  private last = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly emit: ((progress: ImportProgress) => void) | undefined,
  ) {}

  update(phase: ImportProgress['phase'], bytesRead: number, chatsDone: number, force = false): void {
    this.bytesRead = bytesRead;
    if (!this.emit) return;
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.emit({ phase, bytesRead: Math.min(bytesRead, this.totalBytes), totalBytes: this.totalBytes, chatsDone, chatsTotal: this.chatsTotal });
  }
}

/** A Coda export's file, as before formats (kept for callers that only read Coda's own files). */
export const importCodaFile = (options: Omit<ImportOptions, 'from'> & { file: string }) => importFile({ ...options, from: 'coda' });
export const importCodaText = (options: Omit<ImportOptions, 'from'> & { text: string }) => importText({ ...options, from: 'coda' });
