import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from './helpers/core.js';

const entry = fileURLToPath(new URL('../electron/core/cli/entry.ts', import.meta.url));

let data: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  data = await tempDir('coda-serve-stop-');
  await writeFile(path.join(data.dir, 'index.html'), '<!doctype html><title>Coda Agent</title>');
});
afterAll(async () => {
  await data.remove();
});

/** Opens an upgrade with a foreign Host, as a DNS-rebinding page would, and keeps the client side open. */
function reboundUpgrade(port: number): Promise<{ status: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) resolve({ status: text.split('\r\n')[0] ?? '', closed });
    });
    socket.on('error', reject);
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: rebound.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
  });
}

describe('coda serve', () => {
  it('stops on SIGTERM after hundreds of refused upgrades, with a client still connected', { timeout: 90_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--data-dir', path.join(data.dir, 'data'), 'serve', '--port', '0'], {
      env: { ...process.env, CODA_RENDERER_DIR: data.dir, OPENAI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => /serving at (\S+)/.exec(output)?.[1], { timeout: 40_000 }).toBeTruthy();
      const url = new URL(/serving at (\S+)/.exec(output)?.[1] ?? '');
      const port = Number(url.port);

      const refused = [];
      for (let batch = 0; batch < 6; batch++) refused.push(...(await Promise.all(Array.from({ length: 50 }, () => reboundUpgrade(port)))));
      expect(new Set(refused.map((r) => r.status))).toEqual(new Set(['HTTP/1.1 421 Misdirected Request']));

      const client = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${url.searchParams.get('token')}`);
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      const clientClosed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));

      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`serve did not stop on SIGTERM:\n${output}`)), 20_000))),
      ]).finally(() => clearTimeout(timer));
      expect(code).toBe(0);
      expect(await clientClosed).toBe(1001);
      await Promise.all(refused.map((r) => r.closed));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
