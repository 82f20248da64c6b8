import { performance } from 'node:perf_hooks';
import { collectGarbage } from './gc.js';
import { round } from './stats.js';

const SAMPLE_EVERY_MS = 10;
const mb = (bytes: number) => round(bytes / 1024 ** 2, 1);

export interface MemoryPeak {
  startRssMb: number;
  peakRssMb: number;
  startHeapMb: number;
  peakHeapMb: number;
  /** The process's RSS high-water mark after the phase (never lower than any earlier phase's). */
  maxRssHighWaterMb: number;
  samples: number;
}

/** Runs `fn` while sampling process memory, after a full GC so phases start from the same heap. */
export async function withMemory<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; memory: MemoryPeak }> {
  await collectGarbage();
  const start = process.memoryUsage();
  const highWaterBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  let samples = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    samples++;
  }, SAMPLE_EVERY_MS);
  const started = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - started) / 1000;
    const end = process.memoryUsage();
    peakRss = Math.max(peakRss, end.rss);
    peakHeap = Math.max(peakHeap, end.heapUsed);
    // A synchronous step (a whole-file JSON.parse) blocks the sampler; when the process's high-water mark rose during
    // the phase, the phase's true peak is that mark.
    const highWaterAfter = process.resourceUsage().maxRSS * 1024;
    if (highWaterAfter > highWaterBefore) peakRss = Math.max(peakRss, highWaterAfter);
    return {
      value,
      seconds,
      memory: {
        startRssMb: mb(start.rss),
        peakRssMb: mb(peakRss),
        startHeapMb: mb(start.heapUsed),
        peakHeapMb: mb(peakHeap),
        maxRssHighWaterMb: round(process.resourceUsage().maxRSS / 1024, 1),
        samples,
      },
    };
  } finally {
    clearInterval(timer);
  }
}
