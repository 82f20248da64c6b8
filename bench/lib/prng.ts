/** Small seeded PRNG (mulberry32) so generated datasets are the same on every machine and every run. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += ((this.next() * 0x10000) >>> 0).toString(16).padStart(4, '0');
    return out.slice(0, n);
  }
}

/** A valid UUIDv7 for the given time, its random bits drawn from `rng` (so ids are reproducible and time-ordered). */
export function uuidv7(ms: number, rng: Rng): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  const variant = (8 + rng.int(0, 3)).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(12)}`;
}
