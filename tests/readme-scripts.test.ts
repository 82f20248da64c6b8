import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from './helpers/core.js';

/**
 * Every package.json script the README tells a reader to run is run here as a smoke test: it must start and do its
 * job. Scripts that `npm test` itself runs as steps (typecheck, lint, the test suites) are checked to be steps of it
 * (the second test) instead of being run twice. A script newly named in the README is run with no arguments and must exit 0, until it
 * gets a smoke run of its own below.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** `npm run X` and the lifecycle shorthands (`npm start`, `npm test`) in the README, in order of first mention. */
function documentedScripts(text: string): string[] {
  const names = [...text.matchAll(/\bnpm (?:run(?:-script)?(?: --?[\w-]+)* ([\w:.][\w:.-]*)|(start|test|stop|restart)\b)/g)].map((m) => m[1] ?? m[2] ?? '');
  return [...new Set(names)];
}

/** The scripts `npm test` runs as its steps (scripts/test-all.mjs names each by its package.json name). */
function stepsOfNpmTest(): string[] {
  const source = readFileSync(path.join(root, 'scripts', 'test-all.mjs'), 'utf8');
  return [...source.matchAll(/\b(?:npmScript|vitest)\('([\w:.-]+)'/g)].map((m) => m[1] ?? '');
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** The environment of a user's shell: none of vitest's (NODE_ENV=test would change what vite builds). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(NODE_ENV|VITEST.*|TEST|npm_.*)$/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command line in a shell from the project folder, in its own process group so nothing it starts outlives it.
 * `until` may end the run early (it gets the output so far and the stop function); otherwise the command must exit
 * by itself within `timeoutMs`.
 */
function shell(
  command: string,
  options: { env?: Record<string, string>; timeoutMs?: number; until?: (output: string, stop: () => void) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: root, shell: true, detached: true, env: userEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      options.until?.(output, () => stop());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      stop('SIGKILL');
      reject(new Error(`"${command}" did not finish within ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** A local port nothing listens on: downloads pointed at it fail at once, wherever this runs. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 9;
}

function electronBinaryInstalled(): boolean {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  return existsSync(pathFile) && existsSync(path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

let build: Run;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  data = await tempDir('coda-scripts-');
  // Built once: `serve` and `start` use what this makes.
  build = await shell('npm run build', { timeoutMs: 180_000 });
}, 200_000);
afterAll(async () => {
  await data.remove();
});

/** How each documented script is tried here. */
const smokeRuns: Record<string, () => Promise<void>> = {
  async build() {
    expect(build.code, build.output).toBe(0);
    for (const file of ['out/main/index.js', 'out/main/cli.js', 'out/main/coda-tools.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(existsSync(path.join(root, file)), `${file} after npm run build`).toBe(true);
    }
  },

  async serve() {
    // `npm run serve` builds first; that build was tried above, so the rest of the script runs on its output.
    const [first, ...rest] = (scripts['serve'] ?? '').split('&&').map((part) => part.trim());
    expect(first).toBe('npm run build');
    let address = '';
    let health: unknown = null;
    // `exec`: the signal that stops it reaches serve itself, whose exit code is then the run's.
    const run = await shell(`${rest.length === 1 ? 'exec ' : ''}${rest.join(' && ')} --port 0`, {
      env: { CODA_DATA_DIR: path.join(data.dir, 'serve') },
      until: (output, stop) => {
        const match = /serving at (http:\/\/\S+)/.exec(output);
        if (!match?.[1] || address) return;
        address = match[1];
        void fetch(new URL('/healthz', address))
          .then((response) => response.json())
          .then((body: unknown) => (health = body))
          .finally(stop);
      },
    });
    expect(address, run.output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(health).toEqual({ ok: true });
    expect(run.code, run.output).toBe(0);
  },

  async coda() {
    const run = await shell('npm run coda -- --help');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Usage: coda');
    expect(run.output).toMatch(/\bchat\b[\s\S]*\bserve\b/);
  },

  async bench() {
    // --list loads every benchmark and names it, without running the long measurements.
    const run = await shell('npm run bench -- --list');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^store\s+\S/m);
  },

  async start() {
    if (electronBinaryInstalled()) return; // it would launch the app; see the test's skip condition
    const run = await shell('npm start', {
      // The download is pointed at a closed local port and an empty cache, so it fails here as it does offline.
      env: { ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`, electron_config_cache: path.join(data.dir, 'electron-cache'), force_no_cache: 'true' },
      timeoutMs: 120_000,
    });
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('Electron is not downloaded yet');
    expect(run.output).toContain('Could not download Electron');
    // The fallback it recommends is a documented script, tried by its own smoke run here.
    const fallback = /in a browser: `npm run ([\w:-]+)`/.exec(run.output)?.[1];
    expect(fallback).toBe('serve');
    expect(documented).toContain(fallback);
  },

  async 'db:generate'() {
    // With the schema and the migrations in step there is nothing to write (and a missing migration fails here).
    const run = await shell('npm run db:generate');
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('No schema changes, nothing to migrate');
  },

  async dist() {
    // Packaging needs the Electron binary, which cannot be downloaded here: its build step is tried above, and its
    // configuration is checked against electron-builder's own schema (what the packaging run checks first).
    expect(scripts['dist']).toMatch(/^electron-vite build && electron-builder\b/);
    const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Parameters<typeof validateConfiguration>[0];
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  },
};

const documented = documentedScripts(readme);
const inNpmTest = stepsOfNpmTest();

describe('the npm scripts the README names', { timeout: 150_000 }, () => {
  it('finds them, and each exists in package.json', () => {
    expect(documented).toEqual(expect.arrayContaining(['start', 'test', 'serve', 'coda', 'build', 'bench']));
    expect(documented.filter((name) => !(name in scripts))).toEqual([]);
  });

  it('runs every step of `npm test` through the script the README names for it', () => {
    expect(inNpmTest).toEqual(['build', 'typecheck', 'lint', 'test:unit', 'test:browser', 'test:security', 'test:conformance']);
    expect(inNpmTest.filter((name) => !(name in scripts))).toEqual([]);
  });

  for (const name of documented) {
    if (name === 'test') {
      it('npm test: this file runs inside it', () => {
        expect(scripts['test']).toBe('node scripts/test-all.mjs');
        expect(inNpmTest).toContain('test:unit');
      });
    } else if (smokeRuns[name]) {
      it.skipIf(name === 'start' && electronBinaryInstalled())(`npm run ${name}`, smokeRuns[name]);
    } else if (!inNpmTest.includes(name)) {
      it(`npm run ${name} (no smoke run of its own yet: it must exit 0 by itself)`, async () => {
        const run = await shell(`npm run ${name}`);
        expect(run.code, run.output).toBe(0);
      });
    }
  }
});
