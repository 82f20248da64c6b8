import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodaClient, type CodaErrorShape, type RunEvent } from '../shared/index.js';
import { connectInMemory } from '../electron/core/transport/in-memory.js';
import { serveSocket, type MessageSocket } from '../electron/core/transport/socket-connection.js';
import { startTestCore, type TestCore } from './helpers/core.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

describe('the contract over a socket', () => {
  it('answers invalid payloads with typed validation errors and keeps serving', async () => {
    const { client } = connectInMemory(t.core);
    const unknown = await client.invoke('sessions.explode' as never, {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });

    const badId = await client.invoke('sessions.get', { id: 'not-a-uuid' });
    expect(badId).toMatchObject({ ok: false, error: { code: 'validation', details: { issues: [{ path: 'id' }] } } });

    const extra = await client.invoke('sessions.create', { title: 'x', admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation' } });

    const wrongType = await client.invoke('chat.send', { sessionId: '01a213d4-8163-7255-8e7b-d914eeff12ea', text: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'validation' } });

    const emptyTitle = await client.invoke('sessions.rename', { id: '01a213d4-8163-7255-8e7b-d914eeff12ea', title: '   ' });
    expect(emptyTitle).toMatchObject({ ok: false, error: { code: 'validation' } });

    const missing = await client.invoke('sessions.get', { id: '01a213d4-8163-7255-8e7b-d914eeff12ea' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const subscriptionError = await new Promise<CodaErrorShape>((resolve) => client.subscribe({ topic: 'everything' } as never, () => {}, resolve));
    expect(subscriptionError.code).toBe('validation');

    const created = await client.invoke('sessions.create', { title: 'Still serving' });
    expect(created).toMatchObject({ ok: true, value: { title: 'Still serving' } });
  });

  it('answers frames that are not contract messages with a protocol error', async () => {
    const sent: string[] = [];
    const listeners: ((data: unknown) => void)[] = [];
    const socket: MessageSocket = {
      send: (data) => sent.push(data),
      on: (event: 'message' | 'close', listener: (data?: unknown) => void) => {
        if (event === 'message') listeners.push(listener);
      },
    };
    serveSocket(t.core, socket);
    const deliver = (data: string) => listeners.forEach((l) => l(data));
    deliver('{not json');
    deliver(JSON.stringify({ type: 'launch-missiles' }));
    deliver(JSON.stringify({ type: 'invoke', id: -1, method: 'app.info' }));
    deliver(JSON.stringify({ type: 'invoke', id: 7, method: 'app.info', input: {} }));
    await expect.poll(() => sent.length).toBe(4);
    const replies = sent.map((s) => JSON.parse(s) as { type: string; id?: number; result?: { ok: boolean } });
    expect(replies.slice(0, 3).map((r) => r.type)).toEqual(['protocol-error', 'protocol-error', 'protocol-error']);
    expect(replies[3]).toMatchObject({ type: 'result', id: 7, result: { ok: true } });
  });

  it('resumes a stream after a reconnect without losing or repeating text', async () => {
    const connection = connectInMemory(t.core);
    const client = new CodaClient(connection.client);
    const session = await client.call('sessions.create', {});
    const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
    t.provider.enqueue({ kind: 'stream', steps: words.map((text) => ({ text })), stepDelayMs: 5 });
    const started = await client.call('chat.send', { sessionId: session.id, text: 'stream please' });

    const received: RunEvent[] = [];
    const end = await client.followRun(started.runId, {
      onEvent: (event) => {
        received.push(event);
        if (received.length === 5) {
          connection.disconnect();
          setTimeout(() => connection.reconnect(), 60);
        }
      },
    });
    expect(end.type).toBe('done');
    expect(received.map((e) => e.seq)).toEqual(received.map((_, i) => i + 1));
    const text = received.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(text).toBe(words.join(''));
  });

  it('announces background changes to app subscribers', async () => {
    const client = new CodaClient(connectInMemory(t.core).client);
    const seen: string[] = [];
    client.onApp((event) => {
      if (event.type === 'session-changed') seen.push(event.session.title);
    });
    await new Promise((r) => setTimeout(r, 10));
    const session = await client.call('sessions.create', {});
    await client.call('sessions.rename', { id: session.id, title: 'Renamed elsewhere' });
    await expect.poll(() => seen).toEqual(['New chat', 'Renamed elsewhere']);
  });
});
