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

describe('the build check that keeps electron out of core and its modules free of import cycles', () => {
  it('passes on the real core and fails, naming the line, when core imports electron', async () => {
    expect((await check('electron/core')).code).toBe(0);
    const core = path.join(dir.dir, 'core', 'store');
    await mkdir(core, { recursive: true });
    await writeFile(path.join(core, 'bad.ts'), "import { app } from 'electron';\nexport const x = app;\n");
    const result = await check(path.join(dir.dir, 'core'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad.ts:1: import { app } from 'electron';");
  });

  it('fails, naming the chain, when modules import each other in a cycle, type-only imports included', async () => {
    const core = path.join(dir.dir, 'cyclic');
    await mkdir(path.join(core, 'cli'), { recursive: true });
    await writeFile(
      path.join(core, 'cli', 'main.ts'),
      "import { chat } from './chat.js';\nexport interface Context { out: string }\nexport const run = chat;\n",
    );
    await writeFile(path.join(core, 'cli', 'chat.ts'), "import type {\n  Context,\n} from './main.js';\nexport const chat = (c: Context) => c.out;\n");
    await writeFile(path.join(core, 'leaf.ts'), 'export const leaf = 1;\n');
    const result = await check(core);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cli\/chat\.ts > .*cli\/main\.ts > .*cli\/chat\.ts/);
    expect(result.stderr).not.toContain('leaf.ts');
  });
});
