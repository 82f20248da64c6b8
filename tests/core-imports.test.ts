import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/core.js';

const run = promisify(execFile);
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('coda-imports-');
});
afterAll(async () => {
  await dir.remove();
});

async function check(root: string) {
  try {
    await run(process.execPath, ['scripts/check-core-imports.mjs', root]);
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('the build check that keeps electron out of core', () => {
  it('passes on the real core and fails, naming the line, when core imports electron', async () => {
    expect((await check('electron/core')).code).toBe(0);
    const core = path.join(dir.dir, 'core', 'store');
    await mkdir(core, { recursive: true });
    await writeFile(path.join(core, 'bad.ts'), "import { app } from 'electron';\nexport const x = app;\n");
    const result = await check(path.join(dir.dir, 'core'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad.ts:1: import { app } from 'electron';");
  });
});
