import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestCore, tempDir, type TestCore } from '../../../tests/helpers/core.js';
import { MAX_SUBSCRIPTIONS } from '../transport/socket-connection.js';
import { startServer, type RunningServer } from './serve.js';

const TOKEN = 'serve-test-token-0123456789abcdefghij';

let t: TestCore;
let renderer: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  t = await startTestCore();
  renderer = await tempDir('coda-renderer-');
  await writeFile(
    path.join(renderer.dir, 'index.html'),
    '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; connect-src \'none\'" /><title>Coda Agent</title></head><body></body></html>',
  );
});
afterAll(async () => {
  await t.dispose();
  await renderer.remove();
});

async function serve(): Promise<RunningServer> {
  return startServer({ core: t.core, rendererDir: renderer.dir, port: 0, token: TOKEN });
}

interface RawReply {
  /** Everything the server wrote before it closed the socket. */
  text: string;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
}

/** A WebSocket upgrade written by hand on a raw socket, as any local process (or a DNS-rebinding page) could send it. */
function rawUpgrade(port: number, headers: { host: string; path?: string; origin?: string }): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      // The status line and headers are in: answer with what came so far; `closed` follows the socket.
      if (text.includes('\r\n\r\n'))
        resolve({
          get text() {
            return text;
          },
          closed,
        });
    });
    socket.on('error', reject);
    // The server ends the connection; the client never does (a leak would leave it open forever).
    socket.on('end', () => socket.end());
    socket.on('close', () => closedResolve());
    socket.write(
      [
        `GET ${headers.path ?? `/ws?token=${TOKEN}`} HTTP/1.1`,
        `Host: ${headers.host}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...(headers.origin ? [`Origin: ${headers.origin}`] : []),
        '',
        '',
      ].join('\r\n'),
    );
  });
}

function statusLine(reply: RawReply): string {
  return reply.text.split('\r\n')[0] ?? '';
}

/** Fails with `what` if `promise` has not settled within `ms` (a hang, not a slow machine). */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}

describe('serve mode refuses unauthenticated WebSocket upgrades in the handshake', () => {
  it('answers a foreign Host with 421 and closes every such connection, then stops at once', async () => {
    const server = await serve();
    const replies: RawReply[] = [];
    for (let batch = 0; batch < 6; batch++) {
      replies.push(...(await Promise.all(Array.from({ length: 50 }, () => rawUpgrade(server.port, { host: 'rebound.example:80' })))));
    }
    expect(new Set(replies.map(statusLine))).toEqual(new Set(['HTTP/1.1 421 Misdirected Request']));
    await within(15_000, 'the server left refused upgrade connections open', Promise.all(replies.map((r) => r.closed)));
    await within(15_000, 'close() did not finish', server.close());
  });

  it('answers a bad or missing token with 401, never 101', async () => {
    const server = await serve();
    try {
      const host = `127.0.0.1:${server.port}`;
      const wrong = await rawUpgrade(server.port, { host, path: '/ws?token=not-the-token' });
      expect(statusLine(wrong)).toBe('HTTP/1.1 401 Unauthorized');
      await within(10_000, 'a refused upgrade stayed open', wrong.closed);
      const missing = await rawUpgrade(server.port, { host, path: '/ws' });
      expect(statusLine(missing)).toBe('HTTP/1.1 401 Unauthorized');
      expect(missing.text).not.toContain('101');
      // The page cannot read a handshake's status, so it asks the same address plainly.
      expect((await fetch(`http://${host}/ws?token=not-the-token`)).status).toBe(401);
      expect((await fetch(`http://${host}/ws?token=${TOKEN}`)).status).toBe(426);
    } finally {
      await server.close();
    }
  });

  it("answers another page's Origin with 403 and an upgrade anywhere but /ws with 404", async () => {
    const server = await serve();
    try {
      const host = `127.0.0.1:${server.port}`;
      const foreign = await rawUpgrade(server.port, { host, origin: 'http://evil.example' });
      expect(statusLine(foreign)).toBe('HTTP/1.1 403 Forbidden');
      await within(10_000, 'a refused upgrade stayed open', foreign.closed);
      const elsewhere = await rawUpgrade(server.port, { host, path: `/?token=${TOKEN}` });
      expect(statusLine(elsewhere)).toBe('HTTP/1.1 404 Not Found');
      const own = await rawUpgrade(server.port, { host, origin: `http://${host}` });
      expect(statusLine(own)).toBe('HTTP/1.1 101 Switching Protocols');
    } finally {
      await server.close();
    }
  });

  it('closes open sockets (idle HTTP and WebSocket) when it stops', async () => {
    const server = await serve();
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closedWith = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const idle = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    idle.on('end', () => idle.end());
    await within(15_000, 'close() waited on open connections', server.close());
    expect(await closedWith).toBe(1001);
    await idleClosed;
  });

  it("serves the page under its own CSP header, without the packaged page's meta policy", async () => {
    const server = await serve();
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(response.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${server.port}`);
      const html = await response.text();
      expect(html).toContain('<title>Coda Agent</title>');
      expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
    } finally {
      await server.close();
    }
  });

  it('caps subscriptions on one socket with a clear error and keeps serving it', async () => {
    const server = await serve();
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const messages: { type: string; id?: number; error?: { code: string; message: string } }[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)) as (typeof messages)[number]));
      for (let id = 1; id <= MAX_SUBSCRIPTIONS + 1; id++) socket.send(JSON.stringify({ type: 'subscribe', id, subscription: { topic: 'app' } }));
      socket.send(JSON.stringify({ type: 'invoke', id: 1000, method: 'app.info', input: {} }));
      await expect.poll(() => messages.find((m) => m.type === 'result')).toBeTruthy();
      const refused = messages.filter((m) => m.type === 'subscription-error');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ id: MAX_SUBSCRIPTIONS + 1, error: { code: 'validation' } });
      expect(refused[0]?.error?.message).toContain(`${MAX_SUBSCRIPTIONS} subscriptions`);
      socket.close();
    } finally {
      await server.close();
    }
  });
});
