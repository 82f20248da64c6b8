import type { Nodes } from 'mdast';
import { parseMarkdown } from './parse.js';

/** Nodes whose text is literal: delimiters inside them are left alone. */
const LITERAL = new Set(['code', 'inlineCode', 'math', 'inlineMath']);

const DISPLAY = /\\\[([\s\S]+?)\\\]/g;
const INLINE = /\\\(([\s\S]+?)\\\)/g;

/**
 * Rewrites LaTeX's `\(…\)` and `\[…\]` (which Markdown would read as escaped brackets, eating the backslashes) into
 * the `$…$` and `$$…$$` the math parser understands; code spans, code blocks and existing math are left untouched.
 * A `\[…\]` on lines of its own becomes a display block; one inside a sentence stays in the line.
 */
export function normalizeMathDelimiters(markdown: string): string {
  if (!markdown.includes('\\(') && !markdown.includes('\\[')) return markdown;
  const literal: Array<[number, number]> = [];
  const collect = (node: Nodes) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (LITERAL.has(node.type) && start !== undefined && end !== undefined) literal.push([start, end]);
    else if ('children' in node) node.children.forEach(collect);
  };
  collect(parseMarkdown(markdown));
  literal.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of literal) {
    out += rewrite(markdown.slice(at, start)) + markdown.slice(start, end);
    at = end;
  }
  return out + rewrite(markdown.slice(at));
}

function rewrite(prose: string): string {
  return prose
    .replace(DISPLAY, (match: string, tex: string, offset: number, whole: string) => {
      const ownLines = (offset === 0 || whole[offset - 1] === '\n') && /^[ \t]*(\n|$)/.test(whole.slice(offset + match.length));
      return ownLines ? `$$\n${tex.trim()}\n$$` : `$$${tex}$$`;
    })
    .replace(INLINE, (_match: string, tex: string) => `$${tex}$`);
}
