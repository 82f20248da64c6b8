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

/** The largest file the app sends over the contract in one message (serve mode's socket takes 8 MB); `coda import` reads bigger ones. */
export const IMPORT_TEXT_MAX = 7 * 1024 * 1024;

export const importMethods = {
  /** Imports a Coda JSON export given as text (Settings › Import); each chat whole or not at all. */
  'import.coda': {
    input: z.object({ text: z.string().max(IMPORT_TEXT_MAX), onConflict: ImportConflictMode }).strict(),
    output: ImportReport,
  },
} as const;
