import { parseMarkdown } from './parse.js';

/** One top-level block of an answer (a paragraph, list, code block, table, math block…) as its source text. */
export interface MarkdownBlock {
  /** Offset of the block's first character in the whole answer. */
  start: number;
  /** The block's source, up to where the next block starts (blank lines between blocks included). */
  raw: string;
  /** The block's syntax node type (`paragraph`, `code`, `list`, `definition`, `footnoteDefinition`…). */
  type: string;
}

/** Link reference (`[id]: url`) and footnote (`[^1]: text`) definitions, which other blocks may refer to. */
const isDefinition = (block: MarkdownBlock) => block.type === 'definition' || block.type === 'footnoteDefinition';

/** Blocks whose text is literal (code, math, raw HTML) or that are definitions: nothing is appended to them. */
const LITERAL = new Set(['code', 'math', 'html', 'definition', 'footnoteDefinition']);

/** Whether a block may refer to a definition made elsewhere in the answer. */
export const mayReferToDefinitions = (block: MarkdownBlock): boolean => !LITERAL.has(block.type) && block.raw.includes('[');

/**
 * Whether a fenced code or math block has its closing fence: nothing appended later can change it, so a streaming
 * answer can highlight it (or draw its diagram) while it is still the last block. An indented code block, or one
 * still being written, cannot tell.
 */
export function isClosedFence(block: MarkdownBlock): boolean {
  if (block.type !== 'code' && block.type !== 'math') return false;
  const lines = block.raw.trimEnd().split('\n');
  const opening = /^ {0,3}(`{3,}|~{3,}|\${2,})/.exec(lines[0] ?? '')?.[1];
  if (!opening || lines.length < 2) return false;
  const closing = lines.at(-1)!.trim();
  return closing.length >= opening.length && closing === opening[0]!.repeat(closing.length);
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
  const nodes = parseMarkdown(tail).children.flatMap((node) =>
    node.position?.start.offset === undefined ? [] : [{ start: node.position.start.offset, type: node.type }],
  );
  // Leading blank lines belong to the first block, so no text falls between blocks.
  const starts = nodes.map((node, i) => (i === 0 ? 0 : node.start));
  const blocks = nodes.map((node, i) => ({ start: offset + starts[i]!, raw: tail.slice(starts[i], starts[i + 1] ?? tail.length), type: node.type }));
  return { text, blocks: [...kept, ...blocks] };
}

/**
 * The definitions of an answer, to append to each block that may use them: a block is rendered on its own, so a
 * reference link or a footnote defined elsewhere in the answer would otherwise show as literal brackets. A footnote
 * then appears under the block that refers to it.
 */
export function definitionsOf(split: BlockSplit): string {
  return split.blocks
    .filter(isDefinition)
    .map((block) => block.raw.trimEnd())
    .join('\n\n');
}
