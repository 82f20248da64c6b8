import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, testVault, type TestCore } from '../../../../tests/helpers/core.js';
import { textReply } from '../../../../tests/provider-server/script.js';

// A real MCP server (tests/fixtures/gated-mcp-server.mjs) whose start the test holds: while its gate file is missing
// it cannot answer `initialize`, so a request that reaches the model meanwhile did not wait for it.
const fixture = fileURLToPath(new URL('../../../../tests/fixtures/gated-mcp-server.mjs', import.meta.url));

interface Files {
  gate: string;
  tools: string;
  fail: string;
  log: string;
}

function filesIn(dir: string): Files {
  return { gate: path.join(dir, 'gate'), tools: path.join(dir, 'tools.json'), fail: path.join(dir, 'fail'), log: path.join(dir, 'log') };
}

async function addGatedServer(t: TestCore, files: Files, extraEnv: Record<string, string> = {}): Promise<void> {
  const env = { GATE_FILE: files.gate, TOOLS_FILE: files.tools, FAIL_FILE: files.fail, LOG_FILE: files.log, ...extraEnv };
  ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'Gated', command: process.execPath, args: [fixture], env }] }));
  const confirmed = ok(await confirmServer(t.core, 'gated', false)).servers.find((s) => s.id === 'gated');
  expect(confirmed).toMatchObject({ status: 'ready', toolCount: 1 });
}

const streamed = (t: TestCore) => t.provider.requests.filter((r) => r.body['stream'] === true);
const toolNames = (body: Record<string, unknown>) => ((body['tools'] ?? []) as { function: { name: string } }[]).map((tool) => tool.function.name);
const initializations = async (files: Files) => (await readFile(files.log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const serverState = async (t: TestCore) =>
  (ok(await t.core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>).servers.find((s) => s.id === 'gated');

/** Sends a question and waits until the model has it; returns the run and the request the model got. */
async function ask(t: TestCore): Promise<{ runId: string; body: Record<string, unknown> }> {
  const before = streamed(t).length;
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const { runId } = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'look it up' })) as { runId: string };
  await vi.waitFor(() => expect(streamed(t).length).toBeGreaterThan(before), { timeout: 20_000, interval: 20 });
  return { runId, body: streamed(t)[before]!.body };
}

describe('tool lists kept from the last start', () => {
  let t: TestCore;
  let files: Files;
  beforeAll(async () => {
    t = await startTestCore({ tools: true, vault: testVault });
    files = filesIn(t.dataDir);
    await writeFile(files.tools, JSON.stringify(['lookup']));
    await writeFile(files.gate, '');
    await addGatedServer(t, files);
  });
  afterAll(async () => {
    await writeFile(files.gate, '');
    await t.dispose();
  });

  it('offers the kept list to the first answer after a restart, before the server answered initialize; a call waits for it', async () => {
    await rm(files.gate);
    await t.reopen();
    t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'k1', name: 'gated__lookup', arguments: '{}' } }] }, textReply('Found it.'));
    const { runId, body } = await ask(t);
    expect(toolNames(body)).toContain('gated__lookup');
    // Only the start of the first run has answered: this run's server is still held at its gate.
    expect(await initializations(files)).toBe(1);
    // Settings shows what runs now, not the kept list.
    expect(await serverState(t)).toMatchObject({ status: 'connecting', toolCount: 0 });

    await writeFile(files.gate, '');
    const events = await collectRun(t.core, runId, 0, (event) => {
      if (event.type === 'approval-request') void t.core.invoke('chat.approve', { runId, toolCallId: event.toolCallId, allow: true });
    });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ isError: false, output: 'lookup ran' });
    expect(await initializations(files)).toBe(2);
    expect(await serverState(t)).toMatchObject({ status: 'ready', toolCount: 1 });
  });

  it('replaces the kept list with what the started server lists; a call to a tool it dropped gets a clear error', async () => {
    await writeFile(files.tools, JSON.stringify(['search']));
    await rm(files.gate);
    await t.reopen();
    t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'k2', name: 'gated__lookup', arguments: '{}' } }] }, textReply('It is gone.'));
    const { runId, body } = await ask(t);
    expect(toolNames(body)).toContain('gated__lookup');
    await writeFile(files.gate, '');
    const events = await collectRun(t.core, runId);
    const result = events.find((e) => e.type === 'tool-result') as Extract<RunEvent, { type: 'tool-result' }>;
    expect(result.isError).toBe(true);
    expect(result.output).toContain('gated__lookup is no longer a tool of "Gated"');
    expect(result.output).toContain('gated__search');

    // The next run offers the new list, again without waiting.
    await rm(files.gate);
    await t.reopen();
    t.provider.enqueue(textReply('Fine.'));
    const next = await ask(t);
    expect(toolNames(next.body)).toContain('gated__search');
    expect(toolNames(next.body)).not.toContain('gated__lookup');
    await writeFile(files.gate, '');
    await collectRun(t.core, next.runId);
  });

  it('does not offer the kept list of a server whose configuration changed since it was kept', async () => {
    await writeFile(files.tools, JSON.stringify(['changed']));
    const prefsFile = path.join(t.dataDir, 'preferences.json');
    const prefs = JSON.parse(await readFile(prefsFile, 'utf8')) as { toolServers: { id: string; args: string[] }[] };
    prefs.toolServers.find((s) => s.id === 'gated')!.args.push('--variant=2');
    await writeFile(prefsFile, JSON.stringify(prefs));
    await t.reopen();
    t.provider.enqueue(textReply('Fine.'));
    const { runId, body } = await ask(t);
    // Waited for the server: what it lists now, not what was kept.
    expect(toolNames(body)).toContain('gated__changed');
    expect(toolNames(body)).not.toContain('gated__search');
    await collectRun(t.core, runId);
  });

  it('does not offer the kept list of a server whose last start failed', async () => {
    await writeFile(files.fail, '');
    await t.reopen();
    // The last start succeeded: its list is offered, and the start in the background fails.
    t.provider.enqueue(textReply('Fine.'));
    const first = await ask(t);
    expect(toolNames(first.body)).toContain('gated__changed');
    await collectRun(t.core, first.runId);
    await vi.waitFor(async () => expect((await serverState(t))?.status).toBe('failed'), { timeout: 20_000, interval: 20 });

    await t.reopen();
    t.provider.enqueue(textReply('Fine.'));
    const second = await ask(t);
    expect(toolNames(second.body).filter((name) => name.startsWith('gated__'))).toEqual([]);
    const events = await collectRun(t.core, second.runId);
    expect(events.find((e) => e.type === 'tools-unavailable')).toMatchObject({ servers: [expect.objectContaining({ server: 'gated' })] });
    await rm(files.fail);
  });
});

describe('a kept list and secrets that cannot be read now', () => {
  let t: TestCore;
  afterAll(() => t.dispose());

  it('is not offered when the server secret was kept only in memory by the process that ended', async () => {
    // No keychain (as in serve mode): the secret lives as long as the process.
    t = await startTestCore({ tools: true });
    const files = filesIn(t.dataDir);
    await writeFile(files.tools, JSON.stringify(['lookup']));
    await writeFile(files.gate, '');
    await addGatedServer(t, files, { GATED_API_TOKEN: 'tok-123456' });
    expect((await serverState(t))?.secretEnv).toEqual([expect.objectContaining({ name: 'GATED_API_TOKEN', saved: true })]);

    await t.reopen();
    t.provider.enqueue(textReply('Fine.'));
    const { runId, body } = await ask(t);
    expect(toolNames(body).filter((name) => name.startsWith('gated__'))).toEqual([]);
    const events = await collectRun(t.core, runId);
    const unavailable = events.find((e) => e.type === 'tools-unavailable') as Extract<RunEvent, { type: 'tools-unavailable' }>;
    expect(unavailable.servers[0]?.message).toContain('cannot be read here');
    expect(existsSync(files.log) ? await initializations(files) : 0).toBe(1);
  });
});
