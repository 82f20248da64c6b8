import type { ChatTurn } from '../providers/types.js';

/** Tool output longer than this is cut when its turn is compressed; its head stays, with a note of what was cut. */
export const TOOL_OUTPUT_KEEP = 1_000;

/**
 * Markdown reduced to its words: emphasis, headings, quote marks, table rules, link targets and repeated blank
 * lines go, code stays (its fences go). The model still reads what was said, in fewer tokens.
 */
export function stripFormatting(text: string): string {
  return text
    .replace(/^```[^\n]*$/gm, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '- ')
    .replace(/^\s*\|?[\s:|-]+\|[\s:|-]*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A tool's output cut to its head, saying how much was left out (so the model knows it saw a part). */
export function cutToolOutput(text: string, keep = TOOL_OUTPUT_KEEP): string {
  if (text.length <= keep) return text;
  return `${text.slice(0, keep)}\n[… ${(text.length - keep).toLocaleString('en-US')} more characters of tool output cut to fit the context window]`;
}

/** The shorter form of a turn sent when the whole one does not fit (system turns and thinking are left as they are). */
export function compressTurn(turn: ChatTurn): ChatTurn {
  switch (turn.role) {
    case 'system':
      return turn;
    case 'tool':
      return { ...turn, content: cutToolOutput(turn.content) };
    case 'user':
    case 'assistant':
      return { ...turn, content: stripFormatting(turn.content) };
  }
}
