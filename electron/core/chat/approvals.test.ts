import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, tempDir, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';

// Approvals with a real MCP server whose tools change things (server-filesystem writes files), so what ran is
// checked on the disk, not only in the events.
const require = createRequire(import.meta.url);
const filesystem = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

let t: TestCore;
let folder: { dir: string; remove: () => Promise<void> };
beforeAll(async () => {
  folder = await tempDir('coda-approvals-');
  t = await startTestCore({ tools: true });
  ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'files', command: process.execPath, args: [filesystem, folder.dir], env: {} }] }));
  ok(await confirmServer(t.core, 'files', true));
});
afterAll(async () => {
  await t.dispose();
  await folder.remove();
});
beforeEach(() => {
  t.provider.requests.length = 0;
});

const write = (id: string, file: string, content: string) => ({
  toolCall: { id, name: 'files__write_file', arguments: JSON.stringify({ path: path.join(folder.dir, file), content }) },
});
const exists = (file: string) =>
  readFile(path.join(folder.dir, file), 'utf8').then(
    () => true,
    () => false,
  );

async function run(text: string, onEvent: (event: RunEvent, runId: string) => void, approval?: 'auto' | 'ask' | 'deny') {
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text, ...(approval ? { approval } : {}) })) as { runId: string };
  const events = await collectRun(t.core, started.runId, 0, (event) => onEvent(event, started.runId));
  const last = events.at(-1) as Extract<RunEvent, { type: 'done' | 'error' }>;
  const trace = ok(await t.core.invoke('messages.agentTrace', { messageIds: [last.message.id] })) as MethodOutput<'messages.agentTrace'>;
  return { events, trace };
}

/** The tool turns the model was sent after the calls, in order. */
function toolTurns(): { tool_call_id: string; content: string }[] {
  const last = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1);
  return (last?.body['messages'] as { role: string; tool_call_id: string; content: string }[]).filter((m) => m.role === 'tool');
}

describe('approvals', { timeout: 60_000 }, () => {
  it('runs only the call the user allowed when the provider gives two parallel calls the same id', async () => {
    // A provider (a proxy, a self-hosted server) may reuse one id for two calls of one turn.
    t.provider.enqueue({ kind: 'stream', steps: [write('dup', 'allowed.txt', 'yes'), write('dup', 'refused.txt', 'no')] }, textReply('Wrote one.'));
    const asked: Extract<RunEvent, { type: 'approval-request' }>[] = [];
    const { events, trace } = await run('write two files', (event, runId) => {
      if (event.type !== 'approval-request') return;
      asked.push(event);
      if (asked.length < 2) return;
      // Both cards are on screen; the user allows the first and refuses the second (a refusal that finds nothing
      // waiting stops the run, so a mix-up ends the test instead of hanging it).
      void (async () => {
        await t.core.invoke('chat.approve', { runId, toolCallId: asked[0]!.toolCallId, allow: true });
        const second = await t.core.invoke('chat.approve', { runId, toolCallId: asked[1]!.toolCallId, allow: false });
        if (!second.ok) await t.core.invoke('chat.stop', { runId });
      })();
    });

    expect(await exists('allowed.txt')).toBe(true);
    expect(await exists('refused.txt')).toBe(false);
    expect(trace.toolCalls.map((c) => [c.status, (c.input as { path: string }).path.endsWith('allowed.txt')])).toEqual([
      ['success', true],
      ['denied', false],
    ]);
    // Each card and event names exactly one call: Coda's own id, the row's.
    expect(asked.map((e) => e.toolCallId).sort()).toEqual(trace.toolCalls.map((c) => c.id).sort());
    const calls = events.filter((e): e is Extract<RunEvent, { type: 'tool-call' }> => e.type === 'tool-call');
    const results = events.filter((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result');
    expect(calls.map((e) => e.toolCallId)).toEqual(trace.toolCalls.map((c) => c.id));
    expect(results.map((e) => e.toolCallId).sort()).toEqual(trace.toolCalls.map((c) => c.id).sort());
    // Both calls stay answerable: the second is renamed, and the model gets one result for each.
    const providerIds = trace.toolCalls.map((c) => c.providerCallId);
    expect(providerIds[0]).toBe('dup');
    expect(providerIds[1]).toMatch(/^[A-Za-z0-9]{3}$/);
    expect(new Set(providerIds).size).toBe(2);
    expect(trace.toolCalls[1]!.evaluation?.problems).toContainEqual({ kind: 'renamed-call-id', from: 'dup' });
    const sent = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; tool_calls?: { id: string }[] }[];
    expect(sent.find((m) => m.role === 'assistant')?.tool_calls?.map((c) => c.id)).toEqual(providerIds);
    expect(toolTurns().map((m) => m.tool_call_id)).toEqual(providerIds);
  });

  it('refuses an approval that names a provider id instead of a call', async () => {
    t.provider.enqueue({ kind: 'stream', steps: [write('call_9', 'by-provider-id.txt', 'x')] }, textReply('Not written.'));
    let refused: unknown;
    await run('write', (event, runId) => {
      if (event.type !== 'approval-request') return;
      void t.core.invoke('chat.approve', { runId, toolCallId: 'call_9', allow: true }).then((result) => {
        refused = result;
        void t.core.invoke('chat.approve', { runId, toolCallId: event.toolCallId, allow: false });
      });
    });
    expect(refused).toMatchObject({ ok: false });
    expect(await exists('by-provider-id.txt')).toBe(false);
  });
});

describe('what the model is told when a tool does not run', () => {
  it('tells apart a user saying no, a "never" rule, and tools switched off for one answer', async () => {
    t.provider.enqueue({ kind: 'stream', steps: [write('n1', 'no.txt', 'x')] }, textReply('OK.'));
    await run('write', (event, runId) => {
      if (event.type === 'approval-request') void t.core.invoke('chat.approve', { runId, toolCallId: event.toolCallId, allow: false });
    });
    const saidNo = toolTurns()[0]!.content;
    expect(saidNo).toContain('The user was asked and did not allow this call of files__write_file');
    expect(saidNo).not.toContain('never');

    t.provider.enqueue({ kind: 'stream', steps: [write('n2', 'no.txt', 'x')] }, textReply('OK.'));
    await run('write', () => undefined, 'deny');
    const switchedOff = toolTurns()[0]!.content;
    expect(switchedOff).toContain('The user ran this answer with tools switched off');
    expect(switchedOff).not.toContain('never');

    ok(await t.core.invoke('tools.setPolicy', { toolId: 'files__write_file', policy: 'deny' }));
    try {
      t.provider.enqueue({ kind: 'stream', steps: [write('n3', 'no.txt', 'x')] }, textReply('OK.'));
      const { events } = await run('write', () => undefined);
      expect(events.some((e) => e.type === 'approval-request')).toBe(false);
      expect(toolTurns()[0]!.content).toContain('The user\'s setting for files__write_file is "never"');
    } finally {
      ok(await t.core.invoke('tools.setPolicy', { toolId: 'files__write_file', policy: null }));
    }
    expect(await exists('no.txt')).toBe(false);
  });
});
