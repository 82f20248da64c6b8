import { z } from 'zod';
import { ContextBreakdown, Id } from './domain.js';

/**
 * Where a candidate message ended up in a request (electron/core/context/builder.ts decides; the preview and the
 * request read the same answer):
 * - `in`: sent whole, in its place in the conversation;
 * - `pinned`: pinned by the user, always sent whole;
 * - `compressed`: sent shortened (formatting stripped, long tool output cut);
 * - `left-out`: not sent (older than the window, or a recalled message that did not fit);
 * - `summarized`: not sent itself, covered by the chat's summary, which is sent;
 * - `recalled`: an earlier message found relevant and sent for that reason.
 */
export const ContextStatus = z.enum(['in', 'pinned', 'compressed', 'left-out', 'summarized', 'recalled']);
export type ContextStatus = z.infer<typeof ContextStatus>;

const entry = {
  messageId: Id,
  role: z.enum(['user', 'assistant']),
  /** The start of its text, on one line (never HTML). */
  excerpt: z.string(),
  /** Its tokens when sent whole. */
  tokens: z.number().int().nonnegative(),
  /**
   * The chat semantic recall found it in (sent as `recalled`, or `left-out` when it did not fit), which may be
   * another chat than this one; null for the chat's own conversation and pins.
   */
  recalledFrom: z.object({ sessionId: Id, sessionTitle: z.string() }).nullable(),
};

/** One candidate message of the next request and where it goes; a compressed one says what it takes shortened. */
export const ContextEntry = z.discriminatedUnion('status', [
  z.object({ ...entry, status: z.literal('in') }),
  z.object({ ...entry, status: z.literal('pinned') }),
  z.object({ ...entry, status: z.literal('compressed'), sentTokens: z.number().int().nonnegative() }),
  z.object({ ...entry, status: z.literal('left-out') }),
  z.object({ ...entry, status: z.literal('summarized') }),
  z.object({ ...entry, status: z.literal('recalled') }),
]);
export type ContextEntry = z.infer<typeof ContextEntry>;

/** `context.show`: the breakdown of the next request, and each candidate message with its status, oldest first. */
export const ContextPreview = ContextBreakdown.extend({ messages: z.array(ContextEntry) });
export type ContextPreview = z.infer<typeof ContextPreview>;

/** Characters of a message shown in the context list. */
export const CONTEXT_EXCERPT_CHARS = 80;

/** A message's start on one line, for lists: whitespace folded, cut with an ellipsis. */
export function contextExcerpt(text: string, chars = CONTEXT_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= chars ? flat : `${flat.slice(0, chars - 1)}…`;
}
