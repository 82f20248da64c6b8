import type { Element, ElementContent } from 'hast';
import { createContext, memo, useContext, useDeferredValue, useMemo, type MouseEvent, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { definitionsOf, isClosedFence, mayReferToDefinitions, splitBlocks, type BlockSplit } from './blocks.js';
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

/** The prefix react-markdown gives the ids it generates (footnotes and their back-links), so model text cannot clash. */
const GENERATED_ID = '#user-content-';

/** A footnote link: scrolls to its target in the same answer, leaving the address (which holds the open chat) alone. */
function FootnoteLink({ href, children }: { href: string; children: ReactNode }) {
  const jump = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    event.currentTarget
      .closest('.markdown')
      ?.querySelector(`#${CSS.escape(href.slice(1))}`)
      ?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <a href={href} onClick={jump}>
      {children}
    </a>
  );
}

const components: Components = {
  // Only web and mail links leave the app: through the shell's confirmation (Electron) or a new, unrelated tab
  // (browser). Footnote links stay in the answer. Any other scheme (javascript:, file:, a relative path or a
  // fragment the model wrote) is shown as plain text.
  a: ({ href, children }) => {
    if (href?.startsWith(GENERATED_ID)) return <FootnoteLink href={href}>{children}</FootnoteLink>;
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
const Block = memo(function Block({ raw, definitions, open }: { raw: string; definitions: string; open: boolean }) {
  const markdown = useMemo(() => normalizeMathDelimiters(raw) + (definitions ? `\n\n${definitions}` : ''), [raw, definitions]);
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
  const definitions = useMemo(() => definitionsOf(split), [split]);
  return (
    <div className="markdown" data-testid="markdown">
      {split.blocks.map((block, i) => {
        // A closed fence is finished even as the last block: its code is highlighted without waiting for the next one.
        const open = growing && i === split.blocks.length - 1 && !isClosedFence(block);
        // Only a finished block that could refer to a definition gets them (and is rendered again when one arrives):
        // appended to a block still being written, they could land inside an unclosed code fence.
        return <Block key={block.start} raw={block.raw} definitions={!open && mayReferToDefinitions(block) ? definitions : ''} open={open} />;
      })}
    </div>
  );
});
