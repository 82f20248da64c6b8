import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

/** The same Markdown dialect the answer is rendered with (CommonMark + GFM + math), so block boundaries agree with it. */
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkMath);

/** The syntax tree of `text`, with source offsets on every node. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}
