import { describe, expect, it } from 'vitest';
import { hashedEmbedding } from '../../../tests/provider-server/embeddings.js';
import { CompactIndex } from './compact-index.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const unit = (v: Float32Array) => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** The exact top `k` rowids by cosine, and the compact index's top `k` ranked exactly (as the repository does). */
function tops(vectors: Float32Array[], query: Float32Array, k: number, candidates: number, firstPass: number) {
  const index = new CompactIndex('test/model', query.length, 16);
  vectors.forEach((v, rowid) => index.set(rowid, v));
  const exact = vectors
    .map((v, rowid) => ({ rowid, similarity: cosine(v, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
  const fast = index
    .nearest(query, candidates, firstPass)
    .map((rowid) => ({ rowid, similarity: cosine(vectors[rowid]!, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
  return { exact, fast, index };
}

describe('compact index', () => {
  it('finds the exact top 10 of dense embeddings (clusters with noise) through the bit sets and int8 copies', () => {
    const next = random(7);
    const gauss = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
    const centers = Array.from({ length: 60 }, () => Float32Array.from({ length: 128 }, gauss));
    const vectors = Array.from({ length: 6_000 }, (_, i) => unit(centers[i % 60]!.map((x) => x + 1.1 * gauss())));
    for (let q = 0; q < 5; q++) {
      const query = unit(centers[q * 7]!.map((x) => x + 1.1 * gauss()));
      const { exact, fast } = tops(vectors, query, 10, 60, 400);
      expect(fast.map((r) => r.rowid)).toEqual(exact.map((r) => r.rowid));
    }
  });

  it('finds the exact top 10 of sparse embeddings (hashed bags of words), a planted near message first', () => {
    const next = random(11);
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
    const texts = Array.from({ length: 3_000 }, () => sentence(8 + Math.floor(next() * 30)));
    texts[1234] = 'The Zephyr deployment password rotates every Tuesday at noon';
    const vectors = texts.map((t) => Float32Array.from(hashedEmbedding(t, 256)));
    const { exact, fast } = tops(vectors, Float32Array.from(hashedEmbedding('When does the Zephyr deployment password rotate?', 256)), 10, 60, 400);
    expect(fast[0]!.rowid).toBe(1234);
    expect(fast.map((r) => r.similarity)).toEqual(exact.map((r) => r.similarity));
  });

  it('replaces an entry set again, forgets a deleted one, and grows past its first capacity', () => {
    const index = new CompactIndex('test/model', 4, 2);
    const east = Float32Array.of(1, 0, 0, 0);
    const north = Float32Array.of(0, 1, 0, 0);
    for (let rowid = 1; rowid <= 20; rowid++) index.set(rowid, north);
    index.set(7, east);
    expect(index.size).toBe(20);
    expect(index.nearest(east, 1, 10)).toEqual([7]);
    index.set(7, north);
    index.set(9, east);
    expect(index.nearest(east, 1, 10)).toEqual([9]);
    index.delete(9);
    expect(index.size).toBe(19);
    expect(index.nearest(east, 3, 10)).not.toContain(9);
    expect(index.nearest(east, 50, 50)).toHaveLength(19);
  });
});
