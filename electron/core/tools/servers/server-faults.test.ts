import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, type TestCore } from '../../../../tests/helpers/core.js';
import { textReply } from '../../../../tests/provider-server/script.js';

// Servers that crash, hang or flood, and a real server over Streamable HTTP: the conversation always goes on.
const require = createRequire(import.meta.url);
const faulty = fileURLToPath(new URL('../../../../tests/fixtures/faulty-mcp-server.mjs', import.meta.url));
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let t: TestCore;
let httpServer: ChildProcess;
let port = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  t = await startTestCore({ tools: true, toolTimeoutMs: 1_000 });
  port = await freePort();
  httpServer = spawn(process.execPath, [everything, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => httpServer.stderr?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()));
  ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'faulty', command: process.execPath, args: [faulty], env: {} }] }));
  ok(await confirmServer(t.core, 'faulty', true));
});
afterAll(async () => {
  httpServer?.kill();
  await t.dispose();
});

async function askWithCall(name: string, args: unknown) {
  t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: `c_${name}`, name, arguments: JSON.stringify(args) } }] }, textReply('Carrying on.'));
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'go', approval: 'auto' })) as { runId: string };
  const events = await collectRun(t.core, started.runId);
  return { result: events.find((e) => e.type === 'tool-result') as Extract<RunEvent, { type: 'tool-result' }>, last: events.at(-1)! };
}

describe('tool server faults', () => {
  it('reports a server that crashes mid-call with its last output, and restarts it for the next call', async () => {
    const { result, last } = await askWithCall('faulty__crash', {});
    expect(result).toMatchObject({ isError: true, output: expect.stringContaining('crashing on purpose') });
    expect(last.type).toBe('done');
    const { result: again } = await askWithCall('faulty__flood', { size: 10 });
    expect(again.isError).toBe(false);
  });

  it("times out a call that never answers, after the server's own timeout", async () => {
    const { result, last } = await askWithCall('faulty__hang', {});
    expect(result).toMatchObject({ isError: true, output: expect.stringContaining('did not answer within 1 s') });
    expect(last.type).toBe('done');
    const updated = ok(await t.core.invoke('tools.updateServer', { id: 'faulty', timeoutSeconds: 2 })) as MethodOutput<'tools.servers'>;
    expect(updated.servers.find((s) => s.id === 'faulty')?.timeoutSeconds).toBe(2);
    const slower = await askWithCall('faulty__hang', {});
    expect(slower.result).toMatchObject({ isError: true, output: expect.stringContaining('did not answer within 2 s') });
  });

  it('uses a server over Streamable HTTP', async () => {
    const added = ok(
      await t.core.invoke('tools.addServers', { servers: [{ label: 'remote', url: `http://127.0.0.1:${port}/mcp` }] }),
    ) as MethodOutput<'tools.servers'>;
    expect(added.servers.find((s) => s.id === 'remote')).toMatchObject({ transport: 'http', url: `http://127.0.0.1:${port}/mcp`, status: 'stopped' });
    const confirmed = ok(await confirmServer(t.core, 'remote', false)) as MethodOutput<'tools.servers'>;
    expect(confirmed.servers.find((s) => s.id === 'remote')).toMatchObject({ status: 'ready' });
    const { result } = await askWithCall('remote__echo', { message: 'over http' });
    expect(result).toMatchObject({ isError: false, output: expect.stringContaining('over http') });
  });

  it('says clearly when an HTTP server cannot be reached', async () => {
    const dead = await freePort();
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'gone', url: `http://127.0.0.1:${dead}/mcp` }] }));
    const list = ok(await confirmServer(t.core, 'gone', false)) as MethodOutput<'tools.servers'>;
    expect(list.servers.find((s) => s.id === 'gone')).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be reached') });
  });
});
