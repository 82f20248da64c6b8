import type { SearchHit } from '../../../../shared/index.js';
import { Snippet } from './Snippet.js';

const ROLE: Record<SearchHit['role'], string> = { user: 'You', assistant: 'Answer', tool: 'Tool', system: 'System' };

/** One search hit: the chat it is in, who wrote it and when, and the words around the match. */
export function HitRow({ hit }: { hit: SearchHit }) {
  return (
    <>
      <span className="search-hit-meta">
        <span className="search-hit-chat">{hit.sessionTitle || 'Untitled chat'}</span>
        <span>
          {ROLE[hit.role]}
          {hit.model ? ` · ${hit.model}` : ''} · {new Date(hit.createdAt).toLocaleDateString()}
        </span>
      </span>
      <Snippet text={hit.snippet} />
    </>
  );
}
