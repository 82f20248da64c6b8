import { afterEach, describe, expect, it } from 'vitest';
import { MathSandbox } from './math-sandbox.js';

// The worker runs the tool server's own entry (main.ts), as the bundle does.
const workerUrl = new URL('./main.ts', import.meta.url);
let sandbox: MathSandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

// Each test starts a worker from source (TypeScript loader and mathjs), seconds on a busy machine.
describe('math in its own worker', { timeout: 60_000 }, () => {
  it('evaluates expressions, one after another, and refuses sizes it can see coming', async () => {
    sandbox = new MathSandbox({ workerUrl });
    const results = await Promise.all(['2 + 3 * 4', 'det([1, 2; 3, 4])', '12 inch to cm'].map((e) => sandbox!.evaluate(e)));
    expect(results.map((r) => r.result)).toEqual(['14', '-2', '30.48 cm']);
    await expect(sandbox.evaluate('zeros(20000, 20000)')).rejects.toThrow('zeros would make 400,000,000 elements; the math tool makes at most 1,000,000');
  });

  it('stops an expression that exhausts its memory, says so, and answers the next call with a fresh worker', async () => {
    sandbox = new MathSandbox({ workerUrl, memoryMb: 64 });
    // Each factor passes the size checks; their product (a thousand million numbers) does not fit.
    await expect(sandbox.evaluate('size(ones(1000, 1) * ones(1, 1000000))')).rejects.toThrow(/needs more memory than the math tool allows \(64 MB\)/);
    expect((await sandbox.evaluate('sqrt(16)')).value).toBe(4);
  });

  it('stops an expression that runs too long, and answers the next call', async () => {
    sandbox = new MathSandbox({ workerUrl, timeoutMs: 1_000 });
    await expect(sandbox.evaluate('f(n) = n < 2 ? n : f(n - 1) + f(n - 2); f(60)')).rejects.toThrow('The expression ran for more than 1 s and was stopped');
    expect((await sandbox.evaluate('1 + 1')).value).toBe(2);
  });
});
