import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElicitationRecord, MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, type TestCore } from '../../../../tests/helpers/core.js';
import { textReply } from '../../../../tests/provider-server/script.js';

// A real MCP server that asks mid-call (server-everything's trigger-elicitation-request, over stdio), a scripted
// model that calls it, and answers given through the contract as the app and the CLI give them.
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const TOOL = 'everything__trigger-elicitation-request';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ tools: true });
  ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'Everything', command: process.execPath, args: [everything, 'stdio'], env: {} }] }));
  ok(await confirmServer(t.core, 'everything', false));
  // The server registers its elicitation tool once it knows the client can answer; wait until it is listed.
  for (let tries = 0; ; tries++) {
    const { tools } = ok(await t.core.invoke('tools.list', { servers: ['everything'] })) as MethodOutput<'tools.list'>;
    if (tools.some((tool) => tool.id === TOOL)) break;
    if (tries > 100) throw new Error(`${TOOL} was never listed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  await t.dispose();
});

type Question = Extract<RunEvent, { type: 'elicitation-request' }>;

/** Starts a chat whose model calls the eliciting tool; `onQuestion` answers (or not) as a user would. */
async function callEliciting(onQuestion: (question: Question, runId: string) => void, { stopped = false } = {}) {
  const call = { kind: 'stream' as const, steps: [{ toolCall: { id: 'call_1', name: TOOL, arguments: '{}' } }] };
  // A stopped run never asks the model again, so it gets no second reply.
  if (stopped) t.provider.enqueue(call);
  else t.provider.enqueue(call, textReply('Thanks.'));
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'ask me', approval: 'auto' })) as MethodOutput<'chat.send'>;
  const events = await collectRun(t.core, started.runId, 0, (event) => {
    if (event.type === 'elicitation-request') onQuestion(event, started.runId);
  });
  const trace = ok(await t.core.invoke('messages.agentTrace', { messageIds: [started.assistantMessage.id] })) as MethodOutput<'messages.agentTrace'>;
  const saved = trace.toolCalls[0]!;
  const records: ElicitationRecord[] = saved.evaluation?.elicitations ?? [];
  return { events, call: saved, records, result: events.find((e) => e.type === 'tool-result') as Extract<RunEvent, { type: 'tool-result' }> | undefined };
}

describe('MCP elicitation', () => {
  it('asks the run, refuses content that does not fit, and sends the answer with defaults filled in', async () => {
    const refusals: string[] = [];
    const { events, records, result } = await callEliciting((question, runId) => {
      expect(question).toMatchObject({ server: 'everything', serverLabel: 'Everything', message: 'Please provide inputs for the following fields:' });
      expect(question.requestedSchema.required).toEqual(['name']);
      void (async () => {
        const bad = await t.core.invoke('chat.elicit', {
          runId,
          elicitationId: question.elicitationId,
          action: 'accept',
          content: { email: 'not an address', integer: 500 },
        });
        if (!bad.ok) refusals.push(bad.error.message, JSON.stringify(bad.error.details));
        // Still open after a refusal: the user fixes the form and sends again. Time limits of the call do not run meanwhile.
        ok(
          await t.core.invoke('chat.elicit', {
            runId,
            elicitationId: question.elicitationId,
            action: 'accept',
            content: { name: 'Ada Lovelace', email: 'ada@example.com', check: true },
          }),
        );
      })();
    });
    expect(refusals[0]).toMatch(/does not fit what "Everything" asked: .*String with email format must be an email address/);
    expect(refusals[0]).toContain('Integer must be at most 100');
    expect(JSON.parse(refusals[1]!)).toMatchObject({ fields: { name: 'is required', email: expect.any(String), integer: expect.any(String) } });
    // The server saw the user's answer, and the defaults of the fields left empty.
    expect(result).toMatchObject({ isError: false });
    const output = JSON.stringify(result!.output);
    expect(output).toContain('- Name: Ada Lovelace');
    expect(output).toContain('- Email: ada@example.com');
    expect(output).toContain('- Favorite Integer: 42');
    expect(events.find((e) => e.type === 'elicitation-answered')).toMatchObject({
      action: 'accept',
      endedBy: 'user',
      content: expect.objectContaining({ name: 'Ada Lovelace', integer: 42 }),
    });
    expect(records).toEqual([
      expect.objectContaining({
        server: 'everything',
        action: 'accept',
        endedBy: 'user',
        content: expect.objectContaining({ name: 'Ada Lovelace', firstLine: 'It was a dark and stormy night.' }),
      }),
    ]);
  });

  it('tells the server when the user declines', async () => {
    const { result, records } = await callEliciting((question, runId) => {
      void t.core.invoke('chat.elicit', { runId, elicitationId: question.elicitationId, action: 'decline' });
    });
    expect(JSON.stringify(result!.output)).toContain('User declined to provide the requested information');
    expect(records).toEqual([expect.objectContaining({ action: 'decline', content: null, endedBy: 'user' })]);
  });

  it('cancels an open question when the run is stopped, and keeps it with the stopped call', async () => {
    const { events, call, records } = await callEliciting(
      (_question, runId) => {
        void t.core.invoke('chat.stop', { runId });
      },
      { stopped: true },
    );
    expect(events.find((e) => e.type === 'elicitation-answered')).toMatchObject({ action: 'cancel', endedBy: 'stopped' });
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { status: 'interrupted' } });
    expect(call.status).toBe('cancelled');
    expect(records).toEqual([expect.objectContaining({ action: 'cancel', endedBy: 'stopped' })]);
    const late = await t.core.invoke('chat.elicit', { runId: events[0]!.runId, elicitationId: records[0]!.id, action: 'decline' });
    expect(late).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it("does not count the time the user takes against the call's time limit", async () => {
    ok(await t.core.invoke('tools.updateServer', { id: 'everything', timeoutSeconds: 1 }));
    try {
      const { result } = await callEliciting((question, runId) => {
        setTimeout(
          () => void t.core.invoke('chat.elicit', { runId, elicitationId: question.elicitationId, action: 'accept', content: { name: 'Slow' } }),
          1_500,
        );
      });
      expect(result).toMatchObject({ isError: false });
      expect(JSON.stringify(result!.output)).toContain('- Name: Slow');
    } finally {
      ok(await t.core.invoke('tools.updateServer', { id: 'everything', timeoutSeconds: 60 }));
    }
  });
});
