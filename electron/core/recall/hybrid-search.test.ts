import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../shared/index.js';
import { fuseRanked, RRF_K } from './hybrid-search.js';

const hit = (id: string, snippet = id): SearchHit => ({
  messageId: id,
  sessionId: 's',
  sessionTitle: 'Chat',
  role: 'user',
  model: null,
  depth: 0,
  snippet,
  createdAt: 0,
});

describe('reciprocal rank fusion', () => {
  it('puts a message both rankings found above ones only one found, and keeps the keyword hit', () => {
    const keyword = [hit('a', '\u0002a\u0003'), hit('b'), hit('c')];
    const semantic = [hit('d'), hit('c', 'plain'), hit('e')];
    const fused = fuseRanked([keyword, semantic], 10);
    expect(fused.map((h) => h.messageId)).toEqual(['c', 'a', 'd', 'b', 'e']);
    expect(fused[0]!.snippet).toBe('c');
    expect(fused[1]!.snippet).toBe('\u0002a\u0003');
  });

  it('scores 1 / (k + rank) per list and cuts to the limit', () => {
    // b: 1/(k+2) + 1/(k+3) beats a: 1/(k+1) alone only when k is large: with k = RRF_K (60) it does, with 0 not.
    const lists = [
      [hit('a'), hit('b')],
      [hit('c'), hit('x'), hit('b')],
    ];
    expect(fuseRanked(lists, 2).map((h) => h.messageId)).toEqual(['b', 'a']);
    expect(fuseRanked(lists, 2, RRF_K).map((h) => h.messageId)).toEqual(['b', 'a']);
    expect(fuseRanked(lists, 2, 0).map((h) => h.messageId)).toEqual(['a', 'c']);
    expect(fuseRanked([[], []], 5)).toEqual([]);
  });
});
