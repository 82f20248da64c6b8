import { mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { runCli, startCli } from './helpers/cli.js';
import { scriptedEnv, tempDir } from './helpers/core.js';
import { startOAuthMcpServer } from './fixtures/oauth-mcp-server.js';

let provider: ScriptedProviderServer;
let data: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  provider = await new ScriptedProviderServer().listen();
  data = await tempDir('coda-cli-');
});
afterAll(async () => {
  await provider.close();
  await data.remove();
});

/** The environment a user's shell would give: every provider pointed at the scripted server. */
const userEnv = (env: Record<string, string> = {}) => ({ ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli', ...env });

/** Runs the CLI as a user would, in its own process, on the shared data folder (or `dataDir`). */
function coda(args: string[], env: Record<string, string> = {}, dataDir = data.dir) {
  return runCli(['--data-dir', dataDir, ...args], userEnv(env));
}

/** The longest start all ids share: UUIDv7 ids made close together share their first characters (the time). */
function commonStart(ids: string[]): string {
  let length = 0;
  while (ids.every((id) => id[length] !== undefined && id[length] === ids[0]![length])) length++;
  expect(length).toBeGreaterThanOrEqual(4);
  return ids[0]!.slice(0, length);
}

/** A Claude Desktop config file with one server, @modelcontextprotocol/server-everything over stdio. */
async function everythingConfig(name: string): Promise<string> {
  const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const configFile = path.join(data.dir, name);
  await writeFile(configFile, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } }));
  return configFile;
}

/** A JSON list of sessions, as `sessions list --json` prints it. */
async function sessionsIn(dataDir: string, trash = false): Promise<{ id: string; title: string }[]> {
  return JSON.parse((await coda(['sessions', 'list', '--json', ...(trash ? ['--trash'] : [])], {}, dataDir)).stdout) as { id: string; title: string }[];
}

describe('coda CLI', { timeout: 400_000 }, () => {
  let sessionId = '';

  it('streams an answer to stdout and starts a session', async () => {
    provider.enqueue(textReply('Paris is the capital of France.', { input: 14, output: 8 }));
    provider.enqueueCompletion({ kind: 'completion', text: 'Capital of France' });
    const result = await coda(['chat', '--model', 'gpt-4o-mini', '--system', 'Answer briefly.', 'What', 'is', 'the', 'capital', 'of', 'France?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Paris is the capital of France.\n');
    sessionId = /session (\S+)/.exec(result.stderr)?.[1] ?? '';
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.stderr).toContain('14 in / 8 out tokens');
    const request = provider.requests.find((r) => r.body['stream'] === true);
    expect(request?.body['model']).toBe('gpt-4o-mini');
    expect(request?.body['messages']).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'What is the capital of France?' },
    ]);
  });

  it('continues a session and prints JSON events ending with the saved message', async () => {
    provider.enqueue(textReply('About 2.1 million.', { input: 40, output: 6 }));
    const result = await coda(['chat', '--session', sessionId, '--json', 'And its population?']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; message?: { status: string; usage: unknown; parentId: string } });
    expect(lines[0]?.type).toBe('started');
    expect(lines.at(-1)).toMatchObject({ type: 'message', message: { status: 'complete', usage: { inputTokens: 40, outputTokens: 6 } } });
    const streamed = provider.requests.filter((r) => r.body['stream'] === true).at(-1);
    expect((streamed?.body['messages'] as unknown[]).length).toBe(4);
  });

  it('lists, shows, renames, deletes and restores sessions, by a whole id or its start', async () => {
    const list = await coda(['sessions', 'list', '--json']);
    const sessions = JSON.parse(list.stdout) as { id: string; title: string; messageCount: number }[];
    expect(sessions).toEqual([expect.objectContaining({ id: sessionId, title: 'Capital of France', messageCount: 4 })]);

    const show = await coda(['sessions', 'show', sessionId]);
    expect(show.stdout).toContain('# Capital of France');
    expect(show.stdout).toContain('Paris is the capital of France.');
    expect(show.stdout).toContain('About 2.1 million.');
    expect(show.stdout).toContain('## assistant · openai/gpt-4o-mini (14 in / 8 out tokens');

    // As with git, the start of an id will do while only one session has it.
    const short = sessionId.slice(0, 8);
    const renamed = await coda(['sessions', 'rename', short, 'French', 'facts']);
    expect(renamed.stdout).toContain('French facts');

    const deleted = await coda(['sessions', 'delete', short]);
    expect(deleted.stdout).toBe(`Moved "French facts" to the trash. To bring it back: coda sessions restore ${sessionId}\n`);
    expect(await sessionsIn(data.dir)).toEqual([]);
    expect(await sessionsIn(data.dir, true)).toEqual([expect.objectContaining({ id: sessionId, title: 'French facts' })]);
    expect((await coda(['sessions', 'list', '--trash'])).stdout).toContain(`${sessionId}`);
    const gone = await coda(['sessions', 'show', short]);
    expect(gone.stderr).toBe(`coda: No chat with id ${short} (it is in the trash: restore it first).\n`);

    const restored = await coda(['sessions', 'restore', short]);
    expect(restored.stdout).toBe('Restored "French facts".\n');
    expect(await sessionsIn(data.dir)).toEqual([expect.objectContaining({ id: sessionId })]);
    expect(await sessionsIn(data.dir, true)).toEqual([]);
    expect((await coda(['sessions', 'list', '--trash'])).stderr).toContain('The trash is empty.');
  });

  it('says "No chat with id …" for an id that matches none, and names the matches of an ambiguous one', async () => {
    const unknown = await coda(['sessions', 'show', 'not-an-id']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('coda: No chat with id not-an-id.\n');
    expect(unknown.stderr).not.toMatch(/Invalid UUID|sessions\.get/);
    const wellFormed = await coda(['chat', '--session', 'ffffffff-ffff-7fff-bfff-ffffffffffff', 'hello?']);
    expect(wellFormed.stderr).toBe('coda: No chat with id ffffffff-ffff-7fff-bfff-ffffffffffff.\n');

    const own = await tempDir('coda-cli-ambiguous-');
    for (const title of ['First', 'Second']) {
      provider.enqueue(textReply('ok'));
      await coda(['chat', '--json', title], {}, own.dir);
    }
    const made = await sessionsIn(own.dir);
    const shared = commonStart(made.map((m) => m.id)).slice(0, 8);
    const ambiguous = await coda(['sessions', 'show', shared], {}, own.dir);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`coda: The id ${shared} matches several chats; give more of it:`);
    for (const session of made) expect(ambiguous.stderr).toContain(`  ${session.id}  `);
    await own.remove();
  });

  it('exits non-zero with the provider error when the key is rejected', async () => {
    provider.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
    const result = await coda(['chat', 'hello']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The OpenAI key was rejected');
  });

  it('refuses a damaged database with a message naming it, without a stack trace', async () => {
    const damaged = await tempDir('coda-cli-bad-');
    await writeFile(path.join(damaged.dir, 'coda.db'), 'garbage that is not SQLite');
    const result = await coda(['sessions', 'list'], {}, damaged.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The database ${path.join(damaged.dir, 'coda.db')} cannot be opened`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await damaged.remove();
  });

  it('chats with another provider, on its default model, and lists models', async () => {
    provider.forProvider('anthropic').enqueue(textReply('Claude says hi.'));
    const result = await coda(['chat', '--provider', 'anthropic', 'hello']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Claude says hi.\n');
    expect(provider.requests.at(-1)?.body['model']).toBe('claude-sonnet-4-6');

    const models = JSON.parse((await coda(['models', 'list', '--provider', 'gemini', '--json'])).stdout) as {
      models: { provider: string; id: string; source: string }[];
    };
    expect(models.models.find((m) => m.id === 'gemini-2.5-flash')).toMatchObject({ provider: 'gemini' });
    expect(models.models.every((m) => m.provider === 'gemini')).toBe(true);

    provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    provider.forProvider('gemini').enqueue(textReply('Gemini stepped in.'));
    const fellBack = await coda(['chat', '--provider', 'anthropic', '--fallback', 'gemini/gemini-2.5-flash', '--json', 'hello again']);
    const last = JSON.parse(fellBack.stdout.trim().split('\n').at(-1) ?? '{}') as { message: { provider: string; route: { provider: string }[] } };
    expect(last.message.provider).toBe('gemini');
    expect(last.message.route.map((r) => r.provider)).toEqual(['anthropic', 'gemini']);

    // In text mode the fallback is said on stderr, and `sessions show` names the model that answered.
    provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    provider.forProvider('gemini').enqueue(textReply('Gemini again.'));
    const text = await coda(['chat', '--provider', 'anthropic', '--fallback', 'gemini/gemini-2.5-flash', 'hello once more']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('Gemini again.\n');
    // Retried first (the CLI keeps the default policy), then the fallback answers; stderr says which failed and why.
    expect(text.stderr).toMatch(/\[fallback\] anthropic\/claude-sonnet-4-6 failed: Anthropic .+\n/);
    expect(text.stderr).toContain('[fallback] gemini/gemini-2.5-flash answers instead.');
    expect(text.stderr).toMatch(/\ngemini\/gemini-2\.5-flash · \d+ in \/ \d+ out tokens/);
    const shown = await coda(['sessions', 'show', /session (\S+)/.exec(text.stderr)?.[1] ?? '']);
    expect(shown.stdout).toContain('model setting: anthropic/claude-sonnet-4-6 (fallbacks: gemini/gemini-2.5-flash)');
    expect(shown.stdout).toContain('## assistant · gemini/gemini-2.5-flash, after anthropic/claude-sonnet-4-6 failed (');

    const unknown = await coda(['chat', '--provider', 'nope', 'hello']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'coda: Unknown provider "nope" (--provider). Known providers: openai, anthropic, gemini, azure, ollama, lmstudio, vllm, llamacpp, custom, openrouter.\n',
    );
    const noModel = await coda(['chat', '--provider', 'ollama', 'hello']);
    expect(noModel.stderr).toContain('Say which model with --model for ollama');
  });

  it('lists the tools the agent can use, those of a Claude Desktop config too', async () => {
    const tools = JSON.parse((await coda(['tools', 'list', '--json'])).stdout) as { id: string; readOnly: boolean }[];
    expect(tools).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'coda__evaluate_math', readOnly: true })]));
    expect(tools.some((t) => t.id.startsWith('everything__'))).toBe(false);

    const configFile = await everythingConfig('tools_config.json');
    const withConfig = await coda(['tools', 'list', '--mcp-config', configFile]);
    expect(withConfig.code).toBe(0);
    expect(withConfig.stdout).toMatch(/^everything__echo\s+/m);
    expect(withConfig.stdout).toMatch(/^coda__evaluate_math\s+/m);
  });

  it('uses the MCP servers of a Claude Desktop config, asking (and refusing without a terminal) unless --approve auto', async () => {
    const configFile = await everythingConfig('claude_desktop_config.json');
    const call = { kind: 'stream' as const, steps: [{ toolCall: { id: 'c1', name: 'everything__echo', arguments: '{"message":"from the cli"}' } }] };

    provider.enqueue(call, textReply('Echoed.'));
    const allowed = await coda(['chat', '--mcp-config', configFile, '--approve', 'auto', '--json', 'echo please']);
    const events = allowed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; output?: unknown; isError?: boolean; sessionId?: string });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ isError: false, output: expect.stringContaining('from the cli') });

    // `sessions show` shows the call: server › tool, its arguments, its status and a short output; --json has them all.
    const echoed = events[0]?.sessionId ?? '';
    const shown = await coda(['sessions', 'show', echoed]);
    expect(shown.stdout).toContain('tool calls:\n  [step 1] everything › echo: success\n    arguments: {"message":"from the cli"}\n    output: ');
    expect(shown.stdout).toMatch(/output: .*from the cli/);
    const json = JSON.parse((await coda(['sessions', 'show', echoed, '--json'])).stdout) as {
      toolCalls: unknown[];
      steps: unknown[];
      spans: Record<string, { name: string; start: number; duration: number; status: string }[]>;
    };
    expect(json.toolCalls).toEqual([expect.objectContaining({ server: 'everything', tool: 'echo', input: { message: 'from the cli' }, status: 'success' })]);
    expect(json.steps.length).toBeGreaterThan(0);
    // The CLI's answer was timed too (its spans written before it exited), and --json has each span.
    const [timing] = Object.values(json.spans);
    expect(timing?.map((s) => s.name)).toEqual(expect.arrayContaining(['invoke_agent coda', 'build_context', 'execute_tool everything__echo']));
    expect(timing?.[0]).toMatchObject({ name: 'invoke_agent coda', status: 'unset', start: expect.any(Number), duration: expect.any(Number) });

    provider.enqueue(call, textReply('Without the tool, then.'));
    const refused = await coda(['chat', '--mcp-config', configFile, 'echo please']);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain(
      'A tool call needs your approval:\n  everything › echo (read-only)\n  arguments:\n    {\n      "message": "from the cli"\n    }\nRefused: there is no terminal to ask on (use --approve auto to allow tools).',
    );
    expect(refused.stdout).toContain('Without the tool, then.');
  });

  it("declines a tool server's question when there is no terminal to ask on, and says so", async () => {
    const configFile = await everythingConfig('eliciting_config.json');
    provider.enqueue(
      { kind: 'stream', steps: [{ toolCall: { id: 'q1', name: 'everything__trigger-elicitation-request', arguments: '{}' } }] },
      textReply('No details, then.'),
    );
    const result = await coda(['chat', '--mcp-config', configFile, '--approve', 'auto', 'ask me']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      '[everything] asks (this question comes from the tool server, not from Coda):\n  Please provide inputs for the following fields:',
    );
    expect(result.stderr).toContain('Declined: there is no terminal to answer on');
    expect(result.stdout).toContain('No details, then.');
    const toolTurn = (provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[]).find(
      (m) => m.role === 'tool',
    );
    expect(toolTurn?.content).toContain('User declined to provide the requested information');
  });

  it('uses a remote server of the config; one that wants a sign-in gets its address printed, and the answer goes on', async () => {
    const remote = await startOAuthMcpServer();
    try {
      const configFile = path.join(data.dir, 'remote_config.json');
      await writeFile(configFile, JSON.stringify({ mcpServers: { remote: { type: 'http', url: remote.url } } }));
      provider.enqueue(textReply('Nothing remote without a sign-in.'));
      const result = await coda(['chat', '--mcp-config', configFile, 'who am I?']);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/"remote" asks you to sign in\. Open this address in your browser:\n {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/);
      expect(result.stderr).toContain('[tools] remote is not available for this answer');
      expect(result.stdout).toContain('Nothing remote without a sign-in.');
    } finally {
      await remote.close();
    }
  });

  it('rejects a bad port with a clear message', async () => {
    const result = await coda(['serve', '--port', 'eighty']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('a port is a whole number from 0 to 65535');
  });
});

describe('coda CLI: what a new user meets', { timeout: 400_000 }, () => {
  it('stops on Ctrl-C mid-answer: says "stopped", exits 130, and keeps the answer so far as interrupted', async () => {
    const own = await tempDir('coda-cli-stop-');
    provider.enqueue({ kind: 'stream', steps: Array.from({ length: 400 }, (_, i) => ({ text: `w${i} ` })), stepDelayMs: 25 });
    const chat = startCli(['--data-dir', own.dir, 'chat', 'count slowly'], userEnv());
    await chat.waitFor(/w3 /);
    chat.child.kill('SIGINT');
    expect(await chat.exit).toBe(130);
    expect(chat.output()).toMatch(/\nstopped: the answer so far is saved \(openai\/gpt-4\.1-mini/);
    // The provider never reported usage for the stopped stream: what it billed is estimated, and said to be.
    expect(chat.output()).toMatch(/≈\d+ in \/ \d+ out tokens \(estimated\), ≈\$\d/);

    const [session] = await sessionsIn(own.dir);
    const shown = JSON.parse((await coda(['sessions', 'show', session!.id, '--json'], {}, own.dir)).stdout) as {
      messages: { role: string; status: string; content: { text?: string }[] }[];
    };
    const answer = shown.messages.find((m) => m.role === 'assistant');
    expect(answer?.status).toBe('interrupted');
    expect(answer?.content[0]?.text).toMatch(/^w0 w1 w2 w3 /);
    expect(answer?.content[0]?.text).not.toContain('w399');
    expect((await coda(['sessions', 'show', session!.id], {}, own.dir)).stdout).toMatch(/\n≈\d+ tokens, ≈\$[\d.]+ \(1 estimated\)\n/);
    await own.remove();
  });

  it('leaves no chat behind when a command fails: no key, a bad provider, a model the provider does not have', async () => {
    const own = await tempDir('coda-cli-clean-');
    const noKey = await coda(['chat', '--provider', 'openai', 'hi'], { OPENAI_API_KEY: '' }, own.dir);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toBe('coda: No OpenAI key is set: set OPENAI_API_KEY (the CLI reads keys from the environment).\n');

    const bogus = await coda(['chat', '--provider', 'bogus', 'hi'], {}, own.dir);
    expect(bogus.stderr).toContain('Unknown provider "bogus"');
    const badFallback = await coda(['chat', '--fallback', 'nope/model', 'hi'], {}, own.dir);
    expect(badFallback.stderr).toContain('Unknown provider "nope" (--fallback nope/model)');

    provider.enqueue({
      kind: 'error',
      status: 404,
      message: 'The model `gpt-nope` does not exist or you do not have access to it.',
      type: 'invalid_request_error',
    });
    const badModel = await coda(['chat', '--model', 'gpt-nope', 'hi'], {}, own.dir);
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toContain('gpt-nope');
    expect(badModel.stderr).toContain('The new chat was not kept, since it has no answer.');

    expect(await sessionsIn(own.dir)).toEqual([]);
    expect(await sessionsIn(own.dir, true)).toEqual([]);
    await own.remove();
  });

  it('asks about parallel tool calls one at a time, in full, and applies each answer to its own call', async () => {
    const own = await tempDir('coda-cli-approve-');
    const configFile = await everythingConfig('parallel_config.json');
    provider.enqueue(
      {
        kind: 'stream',
        steps: [
          { toolCall: { id: 'p1', name: 'everything__echo', arguments: '{"message":"first call"}' } },
          { toolCall: { id: 'p2', name: 'everything__echo', arguments: '{"message":"second call"}' } },
        ],
      },
      textReply('One ran, one was refused.'),
    );
    const chat = startCli(['--data-dir', own.dir, 'chat', '--mcp-config', configFile, 'echo twice'], userEnv(), { terminal: true });
    const prompt = (message: string) =>
      // readline moves the cursor to column 1 before its prompt (an escape sequence), hence the [^\\n]*.
      new RegExp(
        `A tool call needs your approval:\\r?\\n  everything › echo \\(read-only\\)\\r?\\n  arguments:\\r?\\n    \\{\\r?\\n      "message": "${message}"\\r?\\n    \\}\\r?\\n[^\\n]*Allow this call\\? \\[y/N\\] `,
      );
    await chat.waitFor(prompt('first call'));
    // The second call is not asked about until the first is answered.
    expect(chat.output().split('A tool call needs your approval').length - 1).toBe(1);
    chat.child.stdin.write('y\r');
    await chat.waitFor(prompt('second call'));
    chat.child.stdin.write('n\r');
    expect(await chat.exit).toBe(0);
    expect(chat.output()).toContain('One ran, one was refused.');

    const [session] = await sessionsIn(own.dir);
    const shown = JSON.parse((await coda(['sessions', 'show', session!.id, '--json'], {}, own.dir)).stdout) as {
      toolCalls: { input: unknown; status: string }[];
    };
    expect(shown.toolCalls.map((c) => [c.input, c.status])).toEqual([
      [{ message: 'first call' }, 'success'],
      [{ message: 'second call' }, 'denied'],
    ]);
    chat.child.stdin.end();
    await own.remove();
  });

  it('refuses a data folder that cannot exist at once, with a clear message', async () => {
    const result = await coda(['sessions', 'list'], {}, '/proc/coda-cannot-be-here');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The data folder /proc/coda-cannot-be-here cannot be written');
  });

  it('creates the data folder, database and preferences for this user only, whatever the umask (CLI and serve mode)', async () => {
    const own = await tempDir('coda-cli-private-');
    const mode = async (file: string) => (await stat(path.join(own.dir, file))).mode & 0o777;

    const cli = startCli(['--data-dir', path.join(own.dir, 'cli', 'data'), 'sessions', 'list'], userEnv(), { umask: '000' });
    expect(await cli.exit).toBe(0);
    expect(await mode('cli')).toBe(0o700);
    expect(await mode('cli/data')).toBe(0o700);
    for (const file of ['coda.db', 'coda.db-wal', 'preferences.json']) expect([file, await mode(`cli/data/${file}`)]).toEqual([file, 0o600]);

    // Serve mode only needs a renderer folder with a page in it.
    const renderer = path.join(own.dir, 'renderer');
    await makeRenderer(renderer);
    const serve = startCli(['--data-dir', path.join(own.dir, 'serve'), 'serve', '--port', '0'], userEnv({ CODA_RENDERER_DIR: renderer }), { umask: '000' });
    await serve.waitFor(/serving at http/);
    expect(await mode('serve')).toBe(0o700);
    for (const file of ['coda.db', 'coda.db-wal', 'preferences.json']) expect([file, await mode(`serve/${file}`)]).toEqual([file, 0o600]);
    serve.child.kill('SIGTERM');
    await serve.exit;
    await own.remove();
  });
});

async function makeRenderer(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>test</title>\n');
}
