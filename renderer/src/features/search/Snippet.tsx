import { splitSnippet } from '../../../../shared/index.js';

/** A hit's snippet: plain text with its matches in <mark>; model text is never read as HTML. */
export function Snippet({ text }: { text: string }) {
  return (
    <span className="search-snippet">
      {splitSnippet(text).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </span>
  );
}
