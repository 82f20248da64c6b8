import { describe, expect, it } from 'vitest';
import { HistoryCache, type PathTurn } from './history-cache.js';

const turn = (id: string, role: 'user' | 'assistant' = 'user'): PathTurn => ({ id, role, status: 'complete', text: id });

describe('HistoryCache', () => {
  it('gives the path through a remembered answer, cut to the newest messages like the store', () => {
    const cache = new HistoryCache(3);
    cache.remember('a2', [turn('q1'), turn('a1', 'assistant'), turn('q2'), turn('a2', 'assistant')]);
    expect(cache.pathThrough('a2', turn('q3'))?.map((t) => t.id)).toEqual(['q2', 'a2', 'q3']);
    expect(cache.pathThrough(null, turn('q1'))?.map((t) => t.id)).toEqual(['q1']);
    expect(cache.pathThrough('unknown', turn('q9'))).toBeUndefined();
  });

  it('forgets the least recently used conversation first', () => {
    const cache = new HistoryCache(10, 2);
    cache.remember('a', [turn('a')]);
    cache.remember('b', [turn('b')]);
    cache.pathThrough('a', turn('x'));
    cache.remember('c', [turn('c')]);
    expect(cache.pathThrough('b', turn('x'))).toBeUndefined();
    expect(cache.pathThrough('a', turn('x'))).toBeDefined();
    expect(cache.pathThrough('c', turn('x'))).toBeDefined();
  });
});
