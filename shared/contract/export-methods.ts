import { z } from 'zod';
import { Id } from './primitives.js';

export const ExportFileFormat = z.enum(['json', 'md', 'html']);
export type ExportFileFormat = z.infer<typeof ExportFileFormat>;

/**
 * Export where the file is made by the caller (the app's download, a browser in serve mode): it asks for the file
 * piece by piece (the opening, each chat, the end) and joins them in a Blob, showing progress as it goes, so neither
 * core nor one message ever holds every chat. The CLI writes the same bytes to disk (electron/core/export).
 */
export const exportMethods = {
  /** Every chat "Export all" covers (not in the trash), oldest first. */
  'export.chatIds': { input: z.object({}).strict(), output: z.object({ ids: z.array(Id) }) },
  /** One piece of an export file: concatenated in order header, chat 0…n-1, footer they make the whole file. */
  'export.piece': {
    input: z
      .object({
        format: ExportFileFormat,
        piece: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('header') }).strict(),
          z.object({ kind: z.literal('chat'), sessionId: Id, index: z.number().int().nonnegative() }).strict(),
          z.object({ kind: z.literal('footer') }).strict(),
        ]),
      })
      .strict(),
    output: z.object({ text: z.string() }),
  },
} as const;
