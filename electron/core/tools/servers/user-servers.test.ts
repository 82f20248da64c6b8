import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, tempDir, type TestCore } from '../../../../tests/helpers/core.js';
import { textReply } from '../../../../tests/provider-server/script.js';

// Real MCP servers from npm, added the way a user adds them: nothing starts before confirmation.
const require = createRequire(import.meta.url);
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let t: TestCore;
const leakedKey = 'sk-must-not-reach-tool-servers';
beforeAll(async () => {
  process.env['OPENAI_API_KEY_FOR_LEAK_TEST'] = leakedKey;
  t = await startTestCore({ tools: true });
});
afterAll(async () => {
  delete process.env['OPENAI_API_KEY_FOR_LEAK_TEST'];
  await t.dispose();
});

const servers = async () => (ok(await t.core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>).servers;

describe('user MCP servers', () => {
  it('imports a Claude Desktop config, shows the full command, and starts nothing before confirmation', async () => {
    const config = JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'], env: { GREETING: 'hello' } } } });
    const added = (ok(await t.core.invoke('tools.addServers', { claudeConfig: config })) as MethodOutput<'tools.servers'>).servers;
    expect(added.find((s) => s.id === 'everything')).toMatchObject({
      command: process.execPath,
      args: [everything, 'stdio'],
      env: { GREETING: 'hello' },
      confirmed: false,
      status: 'stopped',
    });
    const before = ok(await t.core.invoke('tools.list', { servers: ['*'] })) as MethodOutput<'tools.list'>;
    expect(before.tools.some((tool) => tool.server === 'everything')).toBe(false);

    const confirmed = (ok(await confirmServer(t.core, 'everything', false)) as MethodOutput<'tools.servers'>).servers;
    expect(confirmed.find((s) => s.id === 'everything')).toMatchObject({ confirmed: true, status: 'ready' });
    const after = ok(await t.core.invoke('tools.list', { servers: ['*'] })) as MethodOutput<'tools.list'>;
    expect(after.tools.find((tool) => tool.id === 'everything__echo')).toMatchObject({ readOnly: true, policy: 'ask' });
    expect(after.tools.find((tool) => tool.id === 'coda__evaluate_math')).toMatchObject({ policy: 'auto' });
  });

  it('asks before running a tool of an untrusted server, and runs it once allowed', async () => {
    t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'e1', name: 'everything__get-env', arguments: '{}' } }] }, textReply('Done.'));
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'show env' })) as { runId: string };
    const events = await collectRun(t.core, started.runId, 0, (event) => {
      if (event.type === 'approval-request') {
        expect(event).toMatchObject({ server: 'everything', tool: 'get-env', arguments: {} });
        void t.core.invoke('chat.approve', { runId: started.runId, toolCallId: event.toolCallId, allow: true });
      }
    });
    const result = events.find((e) => e.type === 'tool-result') as Extract<RunEvent, { type: 'tool-result' }>;
    expect(result.isError).toBe(false);
    // The server got a scrubbed environment plus what the user granted, never the app's keys.
    expect(JSON.stringify(result.output)).toContain('GREETING');
    expect(JSON.stringify(result.output)).not.toContain(leakedKey);
  });

  it('tells the model when the user says no, and honours a "never" setting without asking', async () => {
    t.provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'e2', name: 'everything__echo', arguments: '{"message":"hi"}' } }] },
      textReply('OK, without it.'),
    );
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'echo' })) as { runId: string };
    const events = await collectRun(t.core, started.runId, 0, (event) => {
      if (event.type === 'approval-request') void t.core.invoke('chat.approve', { runId: started.runId, toolCallId: event.toolCallId, allow: false });
    });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      isError: true,
      output: expect.stringContaining('did not allow this call of everything__echo'),
    });
    const denied = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[];
    expect(denied.find((m) => m.role === 'tool')?.content).toContain('did not allow');

    ok(await t.core.invoke('tools.setPolicy', { toolId: 'everything__echo', policy: 'deny' }));
    t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'e3', name: 'everything__echo', arguments: '{"message":"again"}' } }] }, textReply('Fine.'));
    const second = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'echo again' })) as { runId: string };
    const secondEvents = await collectRun(t.core, second.runId);
    expect(secondEvents.some((e) => e.type === 'approval-request')).toBe(false);
    expect(secondEvents.find((e) => e.type === 'tool-result')).toMatchObject({ isError: true, output: expect.stringContaining('"never"') });
  });

  it('reads files through server-filesystem, and writes only with approval', async () => {
    const folder = await tempDir('coda-fs-');
    try {
      await writeFile(path.join(folder.dir, 'notes.txt'), 'Buy milk.');
      const filesystem = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
      ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'files', command: process.execPath, args: [filesystem, folder.dir], env: {} }] }));
      ok(await confirmServer(t.core, 'files', true));
      t.provider.enqueue(
        {
          kind: 'stream',
          steps: [
            { toolCall: { id: 'r', name: 'files__read_text_file', arguments: JSON.stringify({ path: path.join(folder.dir, 'notes.txt') }) } },
            { toolCall: { id: 'w', name: 'files__write_file', arguments: JSON.stringify({ path: path.join(folder.dir, 'new.txt'), content: 'hi' }) } },
          ],
        },
        textReply('Read it; did not write.'),
      );
      const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
      const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'read my notes' })) as { runId: string };
      const asked: string[] = [];
      const events = await collectRun(t.core, started.runId, 0, (event) => {
        if (event.type === 'approval-request') {
          asked.push(event.tool);
          void t.core.invoke('chat.approve', { runId: started.runId, toolCallId: event.toolCallId, allow: false });
        }
      });
      // Trusted server: its read-only tool ran at once; the one that writes still asked, and was refused.
      expect(asked).toEqual(['write_file']);
      // Events name calls by Coda's id; the provider's ('r', 'w') is on the tool-call event.
      const calls = events.filter((e): e is Extract<RunEvent, { type: 'tool-call' }> => e.type === 'tool-call');
      const idOf = (providerCallId: string) => calls.find((c) => c.providerCallId === providerCallId)?.toolCallId;
      const results = events.filter((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result');
      expect(results.find((r) => r.toolCallId === idOf('r'))).toMatchObject({ isError: false, output: { content: 'Buy milk.' } });
      expect(results.find((r) => r.toolCallId === idOf('w'))).toMatchObject({ isError: true });
      await expect(readFile(path.join(folder.dir, 'new.txt'), 'utf8')).rejects.toThrow();
    } finally {
      await folder.remove();
    }
  });

  it("offers the servers' prompts as slash commands and attaches their resources to a message", async () => {
    const { prompts } = ok(await t.core.invoke('tools.prompts', {})) as MethodOutput<'tools.prompts'>;
    const prompt = prompts.find((p) => p.server === 'everything' && p.arguments.length === 0);
    expect(prompt).toBeDefined();
    const { text } = ok(await t.core.invoke('tools.getPrompt', { server: 'everything', name: prompt!.name, arguments: {} })) as { text: string };
    expect(text.length).toBeGreaterThan(0);

    const { resources } = ok(await t.core.invoke('tools.resources', {})) as MethodOutput<'tools.resources'>;
    const resource = resources.find((r) => r.server === 'everything' && (r.mimeType ?? 'text/plain').startsWith('text'));
    expect(resource).toBeDefined();
    t.provider.enqueue(textReply('I read it.'));
    const session = ok(await t.core.invoke('sessions.create', { settings: { enabledTools: [] } })) as { id: string };
    const sent = ok(
      await t.core.invoke('chat.send', { sessionId: session.id, text: 'summarise the attachment', resources: [{ server: 'everything', uri: resource!.uri }] }),
    ) as MethodOutput<'chat.send'>;
    await collectRun(t.core, sent.runId);
    expect(sent.userMessage.content.some((p) => p.type === 'attachment')).toBe(true);
    const request = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[];
    expect(request.at(-1)?.content).toContain(`summarise the attachment\n\n[Attached: ${resource!.uri}]`);
    const { attachments } = ok(await t.core.invoke('messages.attachments', { messageIds: [sent.userMessage.id] })) as MethodOutput<'messages.attachments'>;
    expect(attachments).toEqual([expect.objectContaining({ name: resource!.uri })]);

    const missing = await t.core.invoke('chat.send', { sessionId: session.id, text: 'x', resources: [{ server: 'everything', uri: 'test://no/such/thing' }] });
    expect(missing.ok).toBe(false);
  });

  it('refuses a config that is not a Claude Desktop config, naming the problem', async () => {
    const broken = await t.core.invoke('tools.addServers', { claudeConfig: '{"servers": {}}' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('mcpServers') } });
  });

  it('reports a server that cannot start, with its output, and removes it', async () => {
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'Broken', command: process.execPath, args: ['-e', 'console.error("missing API token"); process.exit(3)'], env: {} }],
      }),
    );
    const list = (ok(await confirmServer(t.core, 'broken', true)) as MethodOutput<'tools.servers'>).servers;
    expect(list.find((s) => s.id === 'broken')).toMatchObject({ status: 'failed', error: expect.stringContaining('did not start') });
    const removed = (ok(await t.core.invoke('tools.removeServer', { id: 'broken' })) as MethodOutput<'tools.servers'>).servers;
    expect(removed.some((s) => s.id === 'broken')).toBe(false);
    expect(await servers()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'coda', builtin: true })]));
  });
});
