import { parseMarkdown } from './parse.js';

/** One top-level block of an answer (a paragraph, list, code block, table, math block…) as its source text. */
export interface MarkdownBlock {
  /** Offset of the block's first character in the whole answer. */
  start: number;
  /** The block's source, up to where the next block starts (blank lines between blocks included). */
  raw: string;
}

/** An answer cut into its top-level blocks; the blocks, concatenated, are the text. */
export interface BlockSplit {
  text: string;
  blocks: MarkdownBlock[];
}

/**
 * How many blocks at the end of the previous split are parsed again when text is appended. Appending can change the
 * last block (a paragraph becomes a setext heading or a table, a list gets another item); one more is kept open as a
 * margin, so every earlier block is reused as it is.
 */
const REOPENED_BLOCKS = 2;

/**
 * Splits Markdown into top-level blocks. Given the previous split of a prefix of `text` (a streaming answer only
 * grows), only the last blocks are parsed again, so the cost of an update depends on the size of the tail, not of
 * the whole answer. Anything else (an edited text, no previous split) is split from scratch.
 */
export function splitBlocks(text: string, previous?: BlockSplit): BlockSplit {
  const kept = previous && text.startsWith(previous.text) ? previous.blocks.slice(0, Math.max(0, previous.blocks.length - REOPENED_BLOCKS)) : [];
  const last = kept.at(-1);
  const offset = last ? last.start + last.raw.length : 0;
  const tail = text.slice(offset);
  const starts = parseMarkdown(tail)
    .children.map((node) => node.position?.start.offset)
    .filter((start): start is number => start !== undefined);
  // Leading blank lines belong to the first block, so no text falls between blocks.
  if (starts.length > 0) starts[0] = 0;
  const blocks = starts.map((start, i) => ({ start: offset + start, raw: tail.slice(start, starts[i + 1] ?? tail.length) }));
  return { text, blocks: [...kept, ...blocks] };
}
