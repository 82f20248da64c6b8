import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { remarkHtmlAsText } from './html-as-text.js';

const components: Components = {
  // Links leave the app only through the shell's confirmation (Electron) or a new, unrelated tab (browser).
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  // Remote images could track the reader; show their address instead of loading them.
  img: ({ src, alt }) => <span className="md-image">[image: {alt || String(src ?? '')}]</span>,
};

const remarkPlugins = [remarkGfm, remarkHtmlAsText];

/** Model output as Markdown. Raw HTML is never rendered: it is shown as the text it is. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
