import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/index.js';
import type { CoreApi } from '../api/router.js';
import { MAX_INVOKES_IN_FLIGHT, MAX_SUBSCRIPTIONS, serveSocket, type MessageSocket } from './socket-connection.js';

interface Reply {
  type: string;
  id?: number;
  result?: Result<unknown>;
  error?: { code: string; message: string };
}

/** One socket served over a core whose calls finish only when the test says so. */
function servedSocket() {
  const finishers: (() => void)[] = [];
  let unsubscribed = 0;
  const core: CoreApi = {
    invoke: () => new Promise<Result<unknown>>((resolve) => finishers.push(() => resolve({ ok: true, value: null }))),
    subscribe: () => () => void unsubscribed++,
  };
  const replies: Reply[] = [];
  const listeners = { message: [] as ((data: unknown) => void)[], close: [] as (() => void)[] };
  const socket: MessageSocket = {
    send: (data) => replies.push(JSON.parse(data) as Reply),
    on: (event: 'message' | 'close', listener: (data?: unknown) => void) => {
      listeners[event].push(listener);
    },
  };
  serveSocket(core, socket);
  return {
    replies,
    finishers,
    unsubscribed: () => unsubscribed,
    deliver: (message: object) => listeners.message.forEach((l) => l(JSON.stringify(message))),
    close: () => listeners.close.forEach((l) => l()),
  };
}

describe('limits on one socket', () => {
  it('refuses calls beyond the in-flight limit with a clear error, and takes new ones once some finish', async () => {
    const s = servedSocket();
    for (let id = 1; id <= MAX_INVOKES_IN_FLIGHT + 1; id++) s.deliver({ type: 'invoke', id, method: 'app.info', input: {} });
    expect(s.replies).toEqual([
      {
        type: 'result',
        id: MAX_INVOKES_IN_FLIGHT + 1,
        result: {
          ok: false,
          error: expect.objectContaining({ code: 'validation', message: expect.stringContaining(`at most ${MAX_INVOKES_IN_FLIGHT} calls in flight`) }),
        },
      },
    ]);
    s.finishers.shift()?.();
    await expect.poll(() => s.replies.length).toBe(2);
    s.deliver({ type: 'invoke', id: 500, method: 'app.info', input: {} });
    expect(s.finishers).toHaveLength(MAX_INVOKES_IN_FLIGHT);
  });

  it('counts a resubscription under the same id once, and frees a slot on unsubscribe', () => {
    const s = servedSocket();
    for (let id = 1; id <= MAX_SUBSCRIPTIONS; id++) s.deliver({ type: 'subscribe', id, subscription: { topic: 'app' } });
    s.deliver({ type: 'subscribe', id: 1, subscription: { topic: 'app' } });
    expect(s.replies).toEqual([]);
    s.deliver({ type: 'subscribe', id: 999, subscription: { topic: 'app' } });
    expect(s.replies).toMatchObject([{ type: 'subscription-error', id: 999, error: { code: 'validation' } }]);
    s.deliver({ type: 'unsubscribe', id: 2 });
    s.deliver({ type: 'subscribe', id: 1000, subscription: { topic: 'app' } });
    expect(s.replies).toHaveLength(1);
    s.close();
    expect(s.unsubscribed()).toBe(MAX_SUBSCRIPTIONS + 2);
  });
});
