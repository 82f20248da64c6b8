import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError, CodaClient, CodaError, type RunEvent, type Session } from '../shared/index.js';
import { startServer, type RunningServer } from '../electron/core/serve/serve.js';
import { connectInMemory } from '../electron/core/transport/in-memory.js';
import { startTestCore, type TestCore } from './helpers/core.js';
import { connectWebSocket, type WebSocketClient } from './helpers/ws-client.js';
import { textReply } from './provider-server/script.js';

// One core, reached over each transport a caller can use; the typed client must behave the same over all three.
let t: TestCore;
let server: RunningServer;
let socket: WebSocketClient;
let rendererDir: string;
const disconnects: (() => void)[] = [];

beforeAll(async () => {
  t = await startTestCore();
  // Serve mode wants a built renderer; only its socket is used here.
  rendererDir = await mkdtemp(path.join(tmpdir(), 'coda-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>test</title>\n');
  server = await startServer({ core: t.core, rendererDir, port: 0 });
  socket = await connectWebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
});
afterAll(async () => {
  for (const disconnect of disconnects) disconnect();
  await socket.close();
  await server.close();
  await t.dispose();
  await rm(rendererDir, { recursive: true, force: true });
});

const transports: [string, () => CodaClient][] = [
  ['in-process (core itself)', () => new CodaClient(t.core)],
  [
    'the in-memory socket pair',
    () => {
      const pair = connectInMemory(t.core);
      disconnects.push(pair.disconnect);
      return new CodaClient(pair.client);
    },
  ],
  ['a WebSocket to serve mode', () => socket.client],
];

describe.each(transports)('the typed client over %s', (_name, connect) => {
  let client: CodaClient;
  beforeAll(() => {
    client = connect();
  });

  it("returns a method's result typed by the contract", async () => {
    const session = await client.call('sessions.create', { title: 'Typed' });
    expectTypeOf(session).toEqualTypeOf<Session>();
    expect(session).toMatchObject({ title: 'Typed', titleSource: 'user', messageCount: 0, deletedAt: null });
    expect((await client.call('sessions.get', { id: session.id })).title).toBe('Typed');
  });

  it("throws a failure as an ApiError carrying the contract's code", async () => {
    const missing = client.call('sessions.get', { id: '01a213d4-8163-7255-8e7b-d914eeff12ea' });
    await expect(missing).rejects.toBeInstanceOf(ApiError);
    await expect(missing).rejects.toBeInstanceOf(CodaError);
    await expect(missing).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('01a213d4-8163-7255-8e7b-d914eeff12ea') });
    await expect(client.call('sessions.rename', { id: '01a213d4-8163-7255-8e7b-d914eeff12ea', title: '   ' })).rejects.toMatchObject({ code: 'validation' });
    // A run nobody started: the subscription's refusal arrives the same way (in-process core throws it; the client reports it).
    const refused: string[] = [];
    client.onRun(
      'no-such-run',
      0,
      () => {},
      (error) => refused.push(error.code),
    );
    await expect.poll(() => refused).toEqual(['not_found']);
    await expect(client.followRun('no-such-run')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('follows a run to its end, and resumes one after a given seq', async () => {
    const session = await client.call('sessions.create', {});
    t.provider.enqueue(textReply('one two three four five'));
    const started = await client.call('chat.send', { sessionId: session.id, text: 'count' });
    const events: RunEvent[] = [];
    const end = await client.followRun(started.runId, { onEvent: (event) => events.push(event) });
    expect(end).toMatchObject({ type: 'done', message: { id: started.assistantMessage.id, status: 'complete' } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')).toBe('one two three four five');

    const resumed: RunEvent[] = [];
    await client.followRun(started.runId, { afterSeq: 3, onEvent: (event) => resumed.push(event) });
    expect(resumed).toEqual(events.slice(3));
  });

  it('delivers app events, typed', async () => {
    const titles: string[] = [];
    const stop = client.onApp((event) => {
      if (event.type === 'session-changed') titles.push(event.session.title);
    });
    // Over a socket the subscription is on its way; a call sent after it is answered after it is in place.
    await client.call('app.info', {});
    await client.call('sessions.create', { title: 'Announced' });
    await expect.poll(() => titles).toContain('Announced');
    stop();
  });
});
