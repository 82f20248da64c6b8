import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, type TestCore } from '../../../../tests/helpers/core.js';
import { textReply } from '../../../../tests/provider-server/script.js';

// Real command servers that give their token away (on stderr as they die, in results, prompts, resources and
// questions): the user typed it once, Settings masks it, and it must appear nowhere else, in any common encoding.
const leaky = fileURLToPath(new URL('../../../../tests/fixtures/secret-echo-mcp-server.mjs', import.meta.url));
const TOKEN = 'tok/LEAK+9f8e7d6c5b4a3210';
const b64 = (text: string) => Buffer.from(text).toString('base64');
// The basic-auth pair's user name is not the server's to tell: its base64 is found wherever the token sits in it.
const PAIR = b64(`ci-bot:${TOKEN}`);
const FORMS = [TOKEN, encodeURIComponent(TOKEN), b64(TOKEN), PAIR, PAIR.slice(12, -4)];

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore({ tools: true });
  ok(
    await t.core.invoke('tools.addServers', {
      servers: [
        { label: 'leaky', command: process.execPath, args: [leaky], env: { ECHO_TOKEN: TOKEN } },
        { label: 'dying', command: process.execPath, args: [leaky, '--die-at-start'], env: { ECHO_TOKEN: TOKEN } },
      ],
    }),
  );
  ok(await confirmServer(t.core, 'leaky', true));
});
afterAll(async () => {
  await t.dispose();
});

function expectNoToken(what: unknown): void {
  const text = JSON.stringify(what);
  for (const form of FORMS) expect(text).not.toContain(form);
}

async function chatCalling(tool: string, onEvent?: (event: RunEvent, runId: string) => void) {
  t.provider.requests.length = 0;
  t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: `c_${tool}`, name: tool, arguments: '{}' } }] }, textReply('Noted.'));
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'go', approval: 'auto' })) as MethodOutput<'chat.send'>;
  const events = await collectRun(t.core, started.runId, 0, (event) => onEvent?.(event, started.runId));
  const result = events.find((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result');
  return { events, result, sentToModel: t.provider.requests.map((r) => r.body) };
}

describe('secrets a tool server sends back', () => {
  it('are masked in the last output of a command that dies at start, as Settings shows it', async () => {
    const list = ok(await confirmServer(t.core, 'dying', false)) as MethodOutput<'tools.servers'>;
    const dying = list.servers.find((s) => s.id === 'dying')!;
    expect(dying).toMatchObject({ status: 'failed', error: expect.stringContaining('Its last output: fatal: the API refused token ••••') });
    expect(dying.error).toMatch(/\(sent as ••••, Basic \S{0,11}••••\S{0,3}\)/);
    expectNoToken(list);
  });

  it('are masked in tool results (text and structured content) for the chat and the model, and in tool descriptions', async () => {
    const { tools } = ok(await t.core.invoke('tools.list', { servers: ['leaky'] })) as MethodOutput<'tools.list'>;
    expect(tools.find((tool) => tool.name === 'whoami')?.description).toBe('Says who the server is signed in as (with ••••)');
    expectNoToken(tools);

    const { events, result, sentToModel } = await chatCalling('leaky__whoami');
    expect(result).toMatchObject({
      isError: false,
      output: { token: '••••', nested: { headers: ['Bearer ••••', expect.stringMatching(/^Basic \S{0,11}••••\S{0,3}$/)] } },
    });
    expect(JSON.stringify(sentToModel)).toContain('signed in with ••••; in a query: ?key=••••; base64: ••••');
    expectNoToken(events);
    expectNoToken(sentToModel);
  });

  it('are masked in the error of a call whose server died, and in its failure in Settings', async () => {
    const { events, result, sentToModel } = await chatCalling('leaky__crash');
    expect(result).toMatchObject({ isError: true });
    expectNoToken(events);
    expectNoToken(sentToModel);
    const list = ok(await t.core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>;
    expectNoToken(list);
    // Started again for the next use, with nothing of the token in its state either.
    ok(await t.core.invoke('tools.restartServer', { id: 'leaky' }));
  });

  it('are masked in prompts, resources and questions to the user', async () => {
    const { prompts } = ok(await t.core.invoke('tools.prompts', {})) as MethodOutput<'tools.prompts'>;
    expect(prompts.find((p) => p.server === 'leaky')?.description).toBe('Debug prompt for ••••');
    const prompt = ok(await t.core.invoke('tools.getPrompt', { server: 'leaky', name: 'debug', arguments: {} })) as MethodOutput<'tools.getPrompt'>;
    expect(prompt.text).toBe('My token is ••••');
    const { resources } = ok(await t.core.invoke('tools.resources', {})) as MethodOutput<'tools.resources'>;
    const config = resources.find((r) => r.server === 'leaky')!;
    expect(config).toMatchObject({ uri: 'config://leaky/••••', name: 'config of ••••' });
    expectNoToken([prompts, resources]);

    // The masked address still reads the resource; its text reaches the model masked.
    t.provider.requests.length = 0;
    t.provider.enqueue(textReply('Read it.'));
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(
      await t.core.invoke('chat.send', { sessionId: session.id, text: 'see the config', resources: [{ server: 'leaky', uri: config.uri }] }),
    ) as MethodOutput<'chat.send'>;
    await collectRun(t.core, started.runId);
    expect(JSON.stringify(t.provider.requests.map((r) => r.body))).toContain('token=••••');
    expectNoToken(t.provider.requests.map((r) => r.body));

    const questions: Extract<RunEvent, { type: 'elicitation-request' }>[] = [];
    const { events } = await chatCalling('leaky__ask', (event, runId) => {
      if (event.type !== 'elicitation-request') return;
      questions.push(event);
      void t.core.invoke('chat.elicit', { runId, elicitationId: event.elicitationId, action: 'decline' });
    });
    expect(questions[0]?.message).toBe('Should I keep using ••••?');
    expectNoToken(events);
  });
});
