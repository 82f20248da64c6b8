import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's gc(), exposed at run time (no --expose-gc needed), or null if that is not possible. */
export const gc: (() => void) | null = (() => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

/** A full collection (twice, letting native finalizers run between), so a run starts from the same heap. */
export async function collectGarbage(): Promise<void> {
  if (!gc) return;
  gc();
  await sleep(20);
  gc();
}
