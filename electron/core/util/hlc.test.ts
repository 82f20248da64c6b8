import { describe, expect, it } from 'vitest';
import { HybridLogicalClock, hlcWallTime } from './hlc.js';

describe('HybridLogicalClock', () => {
  it('orders changes made in the same millisecond and after the wall clock goes backwards', () => {
    let wall = 1_000;
    const clock = new HybridLogicalClock('a', () => wall);
    const first = clock.now();
    const second = clock.now();
    wall = 500;
    const third = clock.now();
    expect([third, first, second].sort()).toEqual([first, second, third]);
    expect(hlcWallTime(first)).toBe(1_000);
  });

  it('orders a local change after one observed from another device', () => {
    const clock = new HybridLogicalClock('a', () => 1_000);
    const remote = new HybridLogicalClock('b', () => 5_000).now();
    clock.observe(remote);
    expect(clock.now() > remote).toBe(true);
  });
});
