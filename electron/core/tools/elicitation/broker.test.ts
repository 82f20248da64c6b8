import { describe, expect, it } from 'vitest';
import type { ElicitationRecord, ElicitationSchema } from '../../../../shared/index.js';
import { ElicitationBroker, type OpenQuestion } from './broker.js';

const schema: ElicitationSchema = {
  type: 'object',
  properties: { name: { type: 'string', default: 'John Doe' }, age: { type: 'integer', minimum: 0 }, verified: { type: 'boolean', default: true } },
  required: ['name'],
};
const request = { serverId: 'srv', serverLabel: 'Server', message: 'Who are you?', requestedSchema: schema };

function tracked(broker: ElicitationBroker, runId: string, controller = new AbortController()) {
  const asked: OpenQuestion[] = [];
  const settled: ElicitationRecord[] = [];
  const release = broker.track({
    runId,
    toolCallId: `${runId}-call`,
    server: 'srv',
    signal: controller.signal,
    ask: (q) => asked.push(q),
    settle: (r) => settled.push(r),
  });
  return { asked, settled, release, controller };
}

describe('ElicitationBroker', () => {
  it('declines, and says why in the log, when no run has a call in flight on that server', async () => {
    const log: string[] = [];
    const broker = new ElicitationBroker({ log: (m) => log.push(m) });
    expect(await broker.elicit(request, new AbortController().signal)).toEqual({ action: 'decline' });
    expect(log[0]).toContain('none of its tools is being called by a chat');
  });

  it('declines when calls of two chats are open on that server (it cannot tell which one asks)', async () => {
    const log: string[] = [];
    const broker = new ElicitationBroker({ log: (m) => log.push(m) });
    const first = tracked(broker, 'run-1');
    const second = tracked(broker, 'run-2');
    expect(await broker.elicit(request, new AbortController().signal)).toEqual({ action: 'decline' });
    expect(first.asked.length + second.asked.length).toBe(0);
    expect(log[0]).toContain('several chats are calling it');
  });

  it('asks the run with a call on that server (its latest call), and fills in defaults of fields left empty', async () => {
    const broker = new ElicitationBroker();
    const ended = tracked(broker, 'run-1');
    ended.release();
    const newer = tracked(broker, 'run-2');
    const answer = broker.elicit(request, new AbortController().signal);
    expect(ended.asked).toHaveLength(0);
    expect(newer.asked[0]).toMatchObject({ toolCallId: 'run-2-call', serverLabel: 'Server', message: 'Who are you?' });
    expect(() => broker.answer('run-2', newer.asked[0]!.elicitationId, { action: 'accept', content: { age: -1 } })).toThrow(/age must be at least 0/);
    expect(broker.answer('run-2', newer.asked[0]!.elicitationId, { action: 'accept', content: {} })).toEqual({ name: 'John Doe', verified: true });
    expect(await answer).toEqual({ action: 'accept', content: { name: 'John Doe', verified: true } });
    expect(newer.settled[0]).toMatchObject({ action: 'accept', endedBy: 'user' });
    expect(() => broker.answer('run-2', newer.asked[0]!.elicitationId, { action: 'decline' })).toThrow(/no longer open/);
  });

  it('cancels when the run stops, when nobody answers in time, and when the call ends first', async () => {
    const broker = new ElicitationBroker({ timeoutMs: 30 });
    const stopped = tracked(broker, 'run-1');
    const pending = broker.elicit(request, new AbortController().signal);
    stopped.controller.abort();
    expect(await pending).toEqual({ action: 'cancel' });
    expect(stopped.settled[0]).toMatchObject({ endedBy: 'stopped' });
    stopped.release();

    const slow = tracked(broker, 'run-2');
    expect(await broker.elicit(request, new AbortController().signal)).toEqual({ action: 'cancel' });
    expect(slow.settled[0]).toMatchObject({ endedBy: 'timeout' });

    const ended = broker.elicit(request, new AbortController().signal);
    slow.release();
    expect(await ended).toEqual({ action: 'cancel' });
    expect(slow.settled[1]).toMatchObject({ endedBy: 'withdrawn' });
  });
});
