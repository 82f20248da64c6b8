import { useEffect, useState, type CSSProperties } from 'react';
import { CopyButton } from './CopyButton.js';
import { highlightCode } from './highlight.js';
import type { HighlightedLines } from './shiki-tokenize.js';

/** Blocks longer than this start folded, showing their first lines and a button to unfold. */
export const FOLDED_LINES = 30;

interface Props {
  code: string;
  /** The fence's language label; null when the block has none. */
  lang: string | null;
  /** False while the block may still grow (the tail of a streaming answer): shown plain, not highlighted yet. */
  finished: boolean;
}

/** A code block with its language, a copy button, highlighting once it is complete, and folding when it is long. */
export function CodeBlock({ code, lang, finished }: Props) {
  const lines = useHighlightedLines(finished ? code : null, lang);
  // A block the reader watched being written stays unfolded when it is done (no jump under their eyes); one that
  // arrives complete (an earlier answer) starts folded.
  const [unfolded, setUnfolded] = useState(!finished);
  const lineCount = code.split('\n').length;
  const foldable = finished && lineCount > FOLDED_LINES;
  const folded = foldable && !unfolded;
  return (
    <figure className="code-block" data-testid="code-block" data-highlighted={lines ? 'true' : 'false'}>
      <figcaption className="code-block-bar">
        <span className="code-block-lang" data-testid="code-lang">
          {lang ?? 'text'}
        </span>
        <CopyButton text={() => code} label="Copy" title="Copy this code" ariaLabel={lang ? `Copy ${lang} code` : 'Copy code'} testId="copy-code" />
      </figcaption>
      <pre className={folded ? 'code-block-folded' : undefined}>
        <code>
          {lines ? <Lines lines={folded ? lines.slice(0, FOLDED_LINES) : lines} /> : folded ? code.split('\n').slice(0, FOLDED_LINES).join('\n') : code}
        </code>
      </pre>
      {foldable ? (
        <button type="button" className="link code-block-fold" data-testid="code-fold" aria-expanded={unfolded} onClick={() => setUnfolded(!unfolded)}>
          {unfolded ? 'Show fewer lines' : `Show all ${lineCount} lines`}
        </button>
      ) : null}
    </figure>
  );
}

function Lines({ lines }: { lines: HighlightedLines }) {
  return lines.map((tokens, i) => (
    <span key={i} className="code-line">
      {tokens.map((token, j) => (
        // Colors arrive as CSS variables for both themes; the stylesheet picks the one that matches.
        <span key={j} className="code-token" style={token.style as CSSProperties}>
          {token.content}
        </span>
      ))}
      {i < lines.length - 1 ? '\n' : null}
    </span>
  ));
}

/** The block's highlighted lines once the highlighter has them; null meanwhile, or for an unknown language. */
function useHighlightedLines(code: string | null, lang: string | null): HighlightedLines | null {
  const [result, setResult] = useState<{ code: string; lang: string; lines: HighlightedLines | null } | null>(null);
  useEffect(() => {
    if (code === null || lang === null) return;
    let current = true;
    void highlightCode(code, lang).then((lines) => {
      if (current) setResult({ code, lang, lines });
    });
    return () => {
      current = false;
    };
  }, [code, lang]);
  return result && result.code === code && result.lang === lang ? result.lines : null;
}
