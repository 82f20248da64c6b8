import type { ListItem, Nodes, RootContent, TableRow } from 'mdast';
import { normalizeMathDelimiters } from './math-delimiters.js';
import { parseMarkdown } from './parse.js';

/**
 * An answer as the reader sees it, without Markdown: paragraphs separated by blank lines, list items on their own
 * lines with their bullet or number, table cells separated by tabs, code and math as their source.
 */
export function markdownToPlainText(markdown: string): string {
  return blocks(parseMarkdown(normalizeMathDelimiters(markdown)).children);
}

/** Blocks with a blank line between them; a tight list item's blocks (a line and its sublist) go on plain lines. */
function blocks(nodes: RootContent[], separator = '\n\n'): string {
  return nodes
    .map(block)
    .filter((text) => text !== '')
    .join(separator);
}

function block(node: RootContent): string {
  switch (node.type) {
    case 'list':
      return node.children.map((item, i) => listItem(item, node.ordered ? `${(node.start ?? 1) + i}. ` : '• ')).join('\n');
    case 'table':
      return node.children.map(tableRow).join('\n');
    case 'code':
    case 'math':
      return node.value;
    case 'blockquote':
    case 'footnoteDefinition':
      return blocks(node.children);
    case 'definition':
    case 'thematicBreak':
      return '';
    default:
      return inline(node);
  }
}

function listItem(item: ListItem, marker: string): string {
  const checkbox = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
  const text = blocks(item.children, item.spread ? '\n\n' : '\n');
  return marker + checkbox + text.replace(/\n/g, `\n${' '.repeat(marker.length)}`);
}

function tableRow(row: TableRow): string {
  return row.children.map(inline).join('\t');
}

function inline(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'inlineMath':
    case 'html':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
      return node.alt ?? '';
    case 'footnoteReference':
      return `[${node.label ?? node.identifier}]`;
    default:
      return 'children' in node ? node.children.map(inline).join('') : '';
  }
}
