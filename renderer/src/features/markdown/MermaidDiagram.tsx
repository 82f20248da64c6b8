import { useEffect, useState } from 'react';
import { CodeBlock } from './CodeBlock.js';
import { renderDiagram, type DiagramResult } from './mermaid.js';

/** A ```mermaid block drawn as a picture; while it draws, and when it cannot be drawn, its source shows as code. */
export function MermaidDiagram({ source }: { source: string }) {
  const [result, setResult] = useState<{ source: string; diagram: DiagramResult } | null>(null);
  useEffect(() => {
    let current = true;
    void renderDiagram(source).then((diagram) => {
      if (current) setResult({ source, diagram });
    });
    return () => {
      current = false;
    };
  }, [source]);
  const diagram = result?.source === source ? result.diagram : null;
  if (diagram?.ok) {
    return (
      <figure className="mermaid-diagram" data-testid="mermaid-diagram">
        <img src={diagram.imageUrl} width={diagram.width} height={diagram.height} alt="Mermaid diagram" />
      </figure>
    );
  }
  return (
    <div className="mermaid-source" data-testid={diagram ? 'mermaid-error' : 'mermaid-pending'}>
      <CodeBlock code={source} lang="mermaid" finished />
      {diagram ? <p className="message-note message-note-warn">The diagram could not be drawn: {diagram.error}</p> : null}
    </div>
  );
}
