import { z } from 'zod';
import { Id, MessageRole, Timestamp } from './domain.js';

/**
 * The matched words in a search hit's snippet are wrapped in these two control characters, which never occur in
 * typed text: the snippet stays plain text, and a view splits on them to mark matches (never parsing it as HTML).
 */
export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';

export interface SnippetPart {
  text: string;
  match: boolean;
}

/** A snippet cut into plain and matched runs, in order; stray markers are dropped. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of snippet.split(SNIPPET_OPEN).entries()) {
    const [matched, rest] = i === 0 ? [null, piece] : splitOnce(piece, SNIPPET_CLOSE);
    if (matched) parts.push({ text: matched, match: true });
    if (rest) parts.push({ text: rest.replaceAll(SNIPPET_CLOSE, ''), match: false });
  }
  return parts;
}

function splitOnce(text: string, separator: string): [string | null, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [null, text] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** What a search may be narrowed to; every field is optional and they all apply together. */
export const SearchFilters = z
  .object({
    sessionId: Id.optional(),
    role: MessageRole.optional(),
    /** Messages created at or after this time (ms since the epoch). */
    from: Timestamp.optional(),
    /** Messages created before this time (ms since the epoch). */
    to: Timestamp.optional(),
    /** The model that wrote the answer, as stored (e.g. "gpt-4.1-mini"). */
    model: z.string().trim().min(1).max(200).optional(),
    /** Only answers that called tools (true) or only messages without tool calls (false). */
    hasToolCalls: z.boolean().optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from < f.to, {
    message: 'the start of the date range must be before its end',
    path: ['to'],
  });
export type SearchFilters = z.infer<typeof SearchFilters>;
