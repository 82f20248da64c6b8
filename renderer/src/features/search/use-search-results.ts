import { useEffect, useRef, useState } from 'react';
import type { SearchFilters, SearchHit, SearchMode } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

const DEBOUNCE_MS = 150;

export type SearchResults =
  { state: 'idle' } | { state: 'searching'; hits: SearchHit[] } | { state: 'done'; hits: SearchHit[] } | { state: 'error'; message: string };

type Answer = { key: string; hits: SearchHit[] } | { key: string; error: string };

/**
 * Results for what the user types: asked for once typing pauses, and an answer that arrives after a newer question
 * was asked is dropped, so a slow search for "ab" never replaces the results for "abc".
 */
export function useSearchResults(query: string, filters: SearchFilters, limit: number, mode: SearchMode = 'keyword'): SearchResults {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const latest = useRef(0);
  const text = query.trim();
  const searchable = /[\p{L}\p{N}_]/u.test(text);
  const key = JSON.stringify([text, filters, limit, mode]);
  useEffect(() => {
    const asked = ++latest.current;
    if (!searchable) return;
    const timer = setTimeout(() => {
      const [q, f, n, m] = JSON.parse(key) as [string, SearchFilters, number, SearchMode];
      api.call('messages.search', { query: q, limit: n, filters: f, mode: m }).then(
        ({ hits }) => asked === latest.current && setAnswer({ key, hits }),
        (error: unknown) => asked === latest.current && setAnswer({ key, error: (error as Error).message }),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, searchable]);
  if (!searchable) return { state: 'idle' };
  if (answer?.key === key) return 'error' in answer ? { state: 'error', message: answer.error } : { state: 'done', hits: answer.hits };
  // While the new answer is on its way, the last one stays on screen.
  return { state: 'searching', hits: answer && 'hits' in answer ? answer.hits : [] };
}
