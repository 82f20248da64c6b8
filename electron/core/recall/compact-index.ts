/**
 * Compact copies of one model's vectors, held in memory for nearest-vector search across every chat, in two passes:
 * 1. each vector as two bit sets (the dimensions where it is positive, and negative: 64 bytes for 256 dimensions),
 *    scored against the query by the dot product of these ternary vectors (popcount of the agreeing bits minus the
 *    disagreeing ones) over the square root of the vector's set bits, a coarse estimate of cosine similarity. For
 *    dense embeddings this ranks as the Hamming distance of the sign bits; for sparse ones (a bag of words) it
 *    ignores the zeros, which sign bits alone cannot;
 * 2. the few thousand best of that are scored again on an int8 copy of each vector (one byte a dimension, scaled
 *    by its largest component), which is within a fraction of a percent of the exact cosine.
 * The caller ranks the best of these exactly (cosine on the stored float32 vectors). Entries are keyed by the
 * embedding row's rowid. Reading the float32 vectors of every candidate from the database instead of the second
 * pass cost ~40 µs a row (bench/vectors.ts). See docs/decisions/0026-semantic-recall.md.
 */
export class CompactIndex {
  /** 32-bit words per bit set. */
  readonly words: number;
  /** Per slot: `words` words of positive bits, then `words` of negative bits. */
  private bits: Uint32Array;
  /** Per slot: 1 / √(set bits), so that long and short vectors compare as cosine does. */
  private scale: Float32Array;
  /** Per slot: how many bits are set. */
  private setBits: Uint16Array;
  /** Per slot: the vector in int8, `dims` bytes. */
  private bytes8: Int8Array;
  /** Per slot: what turns the int8 dot product with a query into cosine (its scale over its norm). */
  private scale8: Float32Array;
  private rowids: Float64Array;
  private readonly slots = new Map<number, number>();
  private readonly free: number[] = [];
  /** Slots in use or freed (the high-water mark). */
  private used = 0;
  /** Counts the entries set, so a caller can tell whether the index changed while it waited. */
  changes = 0;

  constructor(
    readonly model: string,
    readonly dims: number,
    capacity = 1024,
  ) {
    this.words = Math.ceil(dims / 32);
    const slots = Math.max(1, capacity);
    this.bits = new Uint32Array(slots * this.words * 2);
    this.scale = new Float32Array(slots);
    this.setBits = new Uint16Array(slots);
    this.bytes8 = new Int8Array(slots * dims);
    this.scale8 = new Float32Array(slots);
    this.rowids = new Float64Array(slots);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Bytes held by the bit sets, int8 copies, scales and rowids (the map of rowid to slot comes on top). */
  get bytes(): number {
    return this.bits.byteLength + this.scale.byteLength + this.setBits.byteLength + this.bytes8.byteLength + this.scale8.byteLength + this.rowids.byteLength;
  }

  /** Adds or replaces the entry of `rowid`. */
  set(rowid: number, vector: Float32Array): void {
    this.changes++;
    let slot = this.slots.get(rowid);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.used++;
      if (slot >= this.rowids.length) this.grow();
      this.slots.set(rowid, slot);
      this.rowids[slot] = rowid;
    }
    const set = writeTernary(vector, this.bits, slot * this.words * 2, this.words);
    this.scale[slot] = 1 / Math.sqrt(Math.max(1, set));
    this.setBits[slot] = set;
    let max = 0;
    let squares = 0;
    for (let i = 0; i < this.dims; i++) {
      const x = vector[i] ?? 0;
      max = Math.max(max, Math.abs(x));
      squares += x * x;
    }
    const at = slot * this.dims;
    const step = max / 127 || 1;
    for (let i = 0; i < this.dims; i++) this.bytes8[at + i] = Math.round((vector[i] ?? 0) / step);
    this.scale8[slot] = squares > 0 ? step / Math.sqrt(squares) : 0;
  }

  delete(rowid: number): void {
    const slot = this.slots.get(rowid);
    if (slot === undefined) return;
    this.slots.delete(rowid);
    this.rowids[slot] = -1;
    this.free.push(slot);
  }

  /**
   * The rowids of the `count` entries nearest to `query` by the int8 copies, best first. A sparse query (at most a
   * quarter of its dimensions set, as a bag of words) is scored on the int8 copies of every entry over its set
   * dimensions only, which is the whole dot product; a dense one is scored on them among the `firstPass` best by the
   * bit sets.
   */
  nearest(query: Float32Array, count: number, firstPass: number): number[] {
    const dims = this.dims;
    const { bytes8, scale8, rowids } = this;
    const set: number[] = [];
    for (let i = 0; i < dims; i++) if (query[i]) set.push(i);
    if (set.length <= dims / 4) {
      const n = this.used;
      const scores = new Float32Array(n);
      const weights = Float32Array.from(set, (i) => query[i]!);
      const offsets = Int32Array.from(set);
      for (let slot = 0; slot < n; slot++) {
        if (rowids[slot] === -1) {
          scores[slot] = -Infinity;
          continue;
        }
        const at = slot * dims;
        let dot = 0;
        for (let k = 0; k < offsets.length; k++) dot += weights[k]! * bytes8[at + offsets[k]!]!;
        scores[slot] = dot * scale8[slot]!;
      }
      return this.best(scores, count)
        .sort((a, b) => scores[b]! - scores[a]!)
        .map((slot) => rowids[slot]!);
    }
    const slots = this.coarse(query, Math.max(count, firstPass));
    const scored = slots.map((slot) => {
      let dot = 0;
      const at = slot * dims;
      for (let i = 0; i < dims; i++) dot += query[i]! * bytes8[at + i]!;
      return { slot, score: dot * scale8[slot]! };
    });
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, count).map((s) => rowids[s.slot]!);
  }

  /**
   * The slots of the `count` entries of highest ternary score, in no order. One pass scores every entry; the cut-off
   * is found by selection on a copy of the scores (no sort of all of them).
   */
  private coarse(query: Float32Array, count: number): number[] {
    const words = this.words;
    const q = new Uint32Array(words * 2);
    writeTernary(query, q, 0, words);
    const n = this.used;
    if (n === 0 || count <= 0) return [];
    const scores = new Float32Array(n);
    const { bits, scale, setBits, rowids } = this;
    // A query with every dimension set (a dense embedding) agrees or disagrees wherever the entry is set, so
    // agree − disagree = set − 2 × disagree: one popcount a word instead of two.
    let querySet = 0;
    for (let w = 0; w < words * 2; w++) querySet += popcount(q[w]!);
    const dense = querySet === this.dims;
    for (let slot = 0; slot < n; slot++) {
      if (rowids[slot] === -1) {
        scores[slot] = -Infinity;
        continue;
      }
      const at = slot * words * 2;
      let disagree = 0;
      if (dense) {
        for (let w = 0; w < words; w++) disagree += popcount((bits[at + w]! & q[words + w]!) | (bits[at + words + w]! & q[w]!));
        scores[slot] = (setBits[slot]! - 2 * disagree) * scale[slot]!;
        continue;
      }
      let agree = 0;
      for (let w = 0; w < words; w++) {
        const pos = bits[at + w]!;
        const neg = bits[at + words + w]!;
        const qPos = q[w]!;
        const qNeg = q[words + w]!;
        agree += popcount((pos & qPos) | (neg & qNeg));
        disagree += popcount((pos & qNeg) | (neg & qPos));
      }
      scores[slot] = (agree - disagree) * scale[slot]!;
    }
    return this.best(scores, count);
  }

  /** The slots of the `count` highest scores (-Infinity for free slots), in no order. */
  private best(scores: Float32Array, count: number): number[] {
    const n = scores.length;
    const cutoff = count >= n ? -Infinity : kthLargest(scores.slice(), count);
    const chosen: number[] = [];
    for (let slot = 0; slot < n; slot++) if (scores[slot]! > cutoff) chosen.push(slot);
    // Ties at the cut-off fill what is left.
    for (let slot = 0; slot < n && chosen.length < count; slot++) if (scores[slot] === cutoff && this.rowids[slot] !== -1) chosen.push(slot);
    return chosen;
  }

  private grow(): void {
    const capacity = this.rowids.length * 2;
    const bits = new Uint32Array(capacity * this.words * 2);
    bits.set(this.bits);
    const scale = new Float32Array(capacity);
    scale.set(this.scale);
    const setBits = new Uint16Array(capacity);
    setBits.set(this.setBits);
    this.setBits = setBits;
    const bytes8 = new Int8Array(capacity * this.dims);
    bytes8.set(this.bytes8);
    const scale8 = new Float32Array(capacity);
    scale8.set(this.scale8);
    this.bytes8 = bytes8;
    this.scale8 = scale8;
    const rowids = new Float64Array(capacity);
    rowids.set(this.rowids);
    this.bits = bits;
    this.scale = scale;
    this.rowids = rowids;
  }
}

/** Writes the positive and negative bit sets of `vector` at `at` (low bits first); returns how many bits are set. */
function writeTernary(vector: Float32Array, into: Uint32Array, at: number, words: number): number {
  let set = 0;
  for (let w = 0; w < words; w++) {
    let pos = 0;
    let neg = 0;
    const base = w * 32;
    const end = Math.min(32, vector.length - base);
    for (let b = 0; b < end; b++) {
      const x = vector[base + b]!;
      if (x > 0) {
        pos |= 1 << b;
        set++;
      } else if (x < 0) {
        neg |= 1 << b;
        set++;
      }
    }
    into[at + w] = pos >>> 0;
    into[at + words + w] = neg >>> 0;
  }
  return set;
}

/** The k-th largest value of `values` (k ≥ 1), by quickselect; reorders `values`. */
function kthLargest(values: Float32Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
