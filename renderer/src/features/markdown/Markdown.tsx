import type { Element, ElementContent } from 'hast';
import { createContext, memo, useContext, useDeferredValue, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { splitBlocks, type BlockSplit } from './blocks.js';
import { CodeBlock } from './CodeBlock.js';
import { remarkHtmlAsText } from './html-as-text.js';
import { externalHref } from './links.js';
import { mayHaveMath, useMathPlugins } from './math-plugin.js';
import { normalizeMathDelimiters } from './math-delimiters.js';
import { MermaidDiagram } from './MermaidDiagram.js';
import './markdown.css';

/** True inside the block a streaming answer is still writing: its code is shown plain until the block is done. */
const OpenBlock = createContext(false);

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return node.type === 'element' ? node.children.map(textOf).join('') : '';
}

/** A fenced or indented block: its code element's language class and text (without the newline the parser adds). */
function codeOf(pre: Element | undefined): { lang: string | null; code: string; math: boolean } {
  const code = pre?.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
  const classes = code?.properties.className;
  const names = Array.isArray(classes) ? classes.map(String) : [];
  const lang = names.find((name) => name.startsWith('language-'))?.slice('language-'.length) ?? null;
  return { lang, code: code ? textOf(code).replace(/\n$/, '') : '', math: names.includes('math-display') };
}

function Pre({ node }: { node?: Element }) {
  const open = useContext(OpenBlock);
  const { lang, code, math } = codeOf(node);
  // Display math before KaTeX has loaded: its TeX, plainly.
  if (math) return <pre className="math-source">{code}</pre>;
  if (lang === 'mermaid' && !open) return <MermaidDiagram source={code} />;
  return <CodeBlock code={code} lang={lang} finished={!open} />;
}

const components: Components = {
  // Only web and mail links leave the app: through the shell's confirmation (Electron) or a new, unrelated tab
  // (browser). Any other scheme (javascript:, file:, a relative path) is shown as plain text.
  a: ({ href, children }) => {
    const target = externalHref(href);
    return target ? (
      <a href={target} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span className="md-link-text">{children}</span>
    );
  },
  // Remote images could track the reader; show their address instead of loading them.
  img: ({ src, alt }) => <span className="md-image">[image: {alt || String(src ?? '')}]</span>,
  pre: Pre,
  table: ({ children }) => (
    <div className="table-scroll" data-testid="table-scroll">
      <table>{children}</table>
    </div>
  ),
};

const remarkPlugins = [remarkGfm, remarkMath, remarkHtmlAsText];

/** One top-level block, rendered again only when its text changes or it stops being the streaming tail. */
const Block = memo(function Block({ raw, open }: { raw: string; open: boolean }) {
  const markdown = useMemo(() => normalizeMathDelimiters(raw), [raw]);
  const rehypePlugins = useMathPlugins(mayHaveMath(markdown));
  return (
    <OpenBlock.Provider value={open}>
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {markdown}
      </ReactMarkdown>
    </OpenBlock.Provider>
  );
});

/** The last splits by message, so a streaming update (or a message scrolled back into view) re-parses only its tail. */
const SPLITS_KEPT = 50;
const splits = new Map<string, BlockSplit>();

function splitFor(key: string, text: string): BlockSplit {
  const split = splitBlocks(text, splits.get(key));
  splits.delete(key);
  splits.set(key, split);
  if (splits.size > SPLITS_KEPT) splits.delete(splits.keys().next().value ?? key);
  return split;
}

/**
 * Model output as Markdown (GFM, math, highlighted code, diagrams), block by block: while an answer streams, the
 * finished blocks stay as they are and only the last one is parsed and rendered again. Raw HTML is never rendered: it
 * is shown as the text it is.
 */
export const Markdown = memo(function Markdown({ id, text, streaming }: { id: string; text: string; streaming: boolean }) {
  // A streaming answer renders at low priority, in slices React can interrupt: typing and scrolling go first, and
  // updates that arrive meanwhile are merged into the next render.
  const shown = useDeferredValue(text);
  const split = useMemo(() => splitFor(id, shown), [id, shown]);
  // Until the shown text has caught up, its last block may still be incomplete (a diagram half written).
  const growing = streaming || shown !== text;
  return (
    <div className="markdown" data-testid="markdown">
      {split.blocks.map((block, i) => (
        <Block key={block.start} raw={block.raw} open={growing && i === split.blocks.length - 1} />
      ))}
    </div>
  );
});
