import { z } from 'zod';
import { Id } from './primitives.js';

/** What to do with a chat whose id (or the id of a row in it) the store already has. */
export const ImportConflictMode = z.enum(['skip', 'replace', 'copy']);
export type ImportConflictMode = z.infer<typeof ImportConflictMode>;

const Imported = { id: Id, title: z.string(), messages: z.number().int().nonnegative() };
const NotImported = { id: Id, title: z.string(), reason: z.string() };

/** What happened to one chat of the file. */
export const ImportedChatOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('imported'), ...Imported }),
  z.object({ outcome: z.literal('replaced'), ...Imported }),
  z.object({ outcome: z.literal('copied'), fromId: Id, ...Imported }),
  z.object({ outcome: z.literal('skipped'), ...NotImported }),
  z.object({ outcome: z.literal('failed'), ...NotImported }),
]);
export type ImportedChatOutcome = z.infer<typeof ImportedChatOutcome>;

export const ImportReport = z.object({
  chats: z.array(ImportedChatOutcome),
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** The largest file the app sends over the contract in one message (serve mode's socket takes 8 MB); bigger ones go in pieces. */
export const IMPORT_TEXT_MAX = 7 * 1024 * 1024;
/** The largest file an import reads (it is streamed: memory does not grow with it). */
export const IMPORT_FILE_MAX = 500 * 1024 * 1024;
/** One piece of an upload, in bytes before base64 (5.3 MB after it, under the socket's 8 MB). */
export const IMPORT_PIECE_MAX = 4 * 1024 * 1024;
/** How much of a file's start auto-detection reads. */
export const IMPORT_HEAD_CHARS = 64 * 1024;

/** The app a file comes from; `auto` recognizes it from its start. */
export const ImportFrom = z.enum(['auto', 'coda', 'chatgpt', 'claude', 'openwebui', 'librechat']);
export type ImportFrom = z.infer<typeof ImportFrom>;

/** An upload in progress, named by the id import.begin gave. */
export const ImportUploadId = z.uuid();

/** How far an import is: the first pass checks the whole file (nothing written), the second writes chat by chat. */
export const ImportProgress = z.object({
  uploadId: ImportUploadId,
  phase: z.enum(['checking', 'importing']),
  bytesRead: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  chatsDone: z.number().int().nonnegative(),
  /** Known once the check has counted them. */
  chatsTotal: z.number().int().nonnegative().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const importMethods = {
  /** Imports a Coda JSON export given as text (Settings › Import); each chat whole or not at all. */
  'import.coda': {
    input: z.object({ text: z.string().max(IMPORT_TEXT_MAX), onConflict: ImportConflictMode }).strict(),
    output: ImportReport,
  },
  /**
   * Starts sending a file in pieces (Settings › Import): the core keeps them in a temporary file in the data folder,
   * removed once imported, aborted, or left without a piece for 10 minutes.
   */
  /**
   * Which format the start of a file is (its first 64 KB as text), before the app sends the rest: a file no format
   * recognizes is refused at once, with the formats the app reads, instead of after its upload.
   */
  'import.detect': {
    input: z.object({ head: z.string().max(IMPORT_HEAD_CHARS) }).strict(),
    output: z.object({ format: ImportFrom.exclude(['auto']), label: z.string() }),
  },
  'import.begin': {
    input: z.object({ name: z.string().min(1).max(255), size: z.number().int().positive().max(IMPORT_FILE_MAX) }).strict(),
    output: z.object({ uploadId: ImportUploadId, pieceBytes: z.number().int().positive() }),
  },
  /** The next piece, in order from 0, as base64 of at most IMPORT_PIECE_MAX bytes. */
  'import.chunk': {
    input: z
      .object({
        uploadId: ImportUploadId,
        index: z.number().int().nonnegative(),
        data: z
          .string()
          .min(1)
          .max(Math.ceil(IMPORT_PIECE_MAX / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a piece is base64'),
      })
      .strict(),
    output: z.object({ receivedBytes: z.number().int().nonnegative() }),
  },
  /** Imports the uploaded file (every piece received), with import-progress events on the way, and removes it. */
  'import.finish': {
    input: z.object({ uploadId: ImportUploadId, from: ImportFrom, onConflict: ImportConflictMode }).strict(),
    output: ImportReport,
  },
  /** Drops an upload the user cancelled. */
  'import.abort': {
    input: z.object({ uploadId: ImportUploadId }).strict(),
    output: z.object({ aborted: z.boolean() }),
  },
} as const;
