/**
 * Hybrid logical clock: wall time plus a counter plus the device, encoded so that plain string comparison
 * orders changes made on different devices. Used for every syncable row's updated_at.
 * Format: 15-digit ms, '-', 4 hex counter, '-', node id.
 */
export class HybridLogicalClock {
  private lastWall = 0;
  private counter = 0;

  constructor(
    private readonly node: string,
    private readonly wallClock: () => number = Date.now,
  ) {}

  now(): string {
    const wall = this.wallClock();
    if (wall > this.lastWall) {
      this.lastWall = wall;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return encode(this.lastWall, this.counter, this.node);
  }

  /** Moves the clock past a timestamp seen from another device, so our next change orders after it. */
  observe(remote: string): void {
    const { wall, counter } = decodeHlc(remote);
    if (wall > this.lastWall || (wall === this.lastWall && counter > this.counter)) {
      this.lastWall = wall;
      this.counter = counter;
    }
  }
}

function encode(wall: number, counter: number, node: string): string {
  return `${wall.toString().padStart(15, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function decodeHlc(value: string): { wall: number; counter: number; node: string } {
  const [wall, counter, node] = value.split('-');
  return { wall: Number(wall), counter: Number.parseInt(counter ?? '0', 16), node: node ?? '' };
}

export function hlcWallTime(value: string): number {
  return decodeHlc(value).wall;
}
