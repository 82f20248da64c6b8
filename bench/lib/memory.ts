import { round } from './stats.js';

/** Process memory in MB, for the numbers kept around a run. */

export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

export function memoryNow(): MemorySnapshot {
  const m = process.memoryUsage();
  const mb = (bytes: number) => round(bytes / 1024 ** 2, 1);
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}
