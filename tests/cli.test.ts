import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from './provider-server/script.js';
import { ScriptedProviderServer } from './provider-server/server.js';
import { scriptedEnv, tempDir } from './helpers/core.js';
import { startOAuthMcpServer } from './fixtures/oauth-mcp-server.js';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../electron/core/cli/entry.ts', import.meta.url));

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

/** Runs the CLI as a user would, in its own process; never throws, returns what it printed and its exit code. */
async function coda(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', entry, '--data-dir', data.dir, ...args], {
      env: { ...process.env, ...scriptedEnv(provider), OPENAI_API_KEY: 'sk-cli', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('coda CLI', { timeout: 60_000 }, () => {
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
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; message?: { status: string; usage: unknown; parentId: string } });
    expect(lines[0]?.type).toBe('started');
    expect(lines.at(-1)).toMatchObject({ type: 'message', message: { status: 'complete', usage: { inputTokens: 40, outputTokens: 6 } } });
    const streamed = provider.requests.filter((r) => r.body['stream'] === true).at(-1);
    expect((streamed?.body['messages'] as unknown[]).length).toBe(4);
  });

  it('lists, shows, renames and deletes sessions', async () => {
    const list = await coda(['sessions', 'list', '--json']);
    const sessions = JSON.parse(list.stdout) as { id: string; title: string; messageCount: number }[];
    expect(sessions).toEqual([expect.objectContaining({ id: sessionId, title: 'Capital of France', messageCount: 4 })]);

    const show = await coda(['sessions', 'show', sessionId]);
    expect(show.stdout).toContain('# Capital of France');
    expect(show.stdout).toContain('Paris is the capital of France.');
    expect(show.stdout).toContain('About 2.1 million.');

    const renamed = await coda(['sessions', 'rename', sessionId, 'French', 'facts']);
    expect(renamed.stdout).toContain('French facts');

    expect((await coda(['sessions', 'delete', sessionId])).stdout).toContain('Deleted "French facts"');
    expect(JSON.parse((await coda(['sessions', 'list', '--json'])).stdout)).toEqual([]);
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
    const result = await coda(['--data-dir', damaged.dir, 'sessions', 'list']);
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

    const models = JSON.parse((await coda(['models', 'list', '--provider', 'gemini', '--json'])).stdout) as { models: { provider: string; id: string; source: string }[] };
    expect(models.models.find((m) => m.id === 'gemini-2.5-flash')).toMatchObject({ provider: 'gemini' });
    expect(models.models.every((m) => m.provider === 'gemini')).toBe(true);

    provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    provider.forProvider('gemini').enqueue(textReply('Gemini stepped in.'));
    const fellBack = await coda(['chat', '--provider', 'anthropic', '--fallback', 'gemini/gemini-2.5-flash', '--json', 'hello again']);
    const last = JSON.parse(fellBack.stdout.trim().split('\n').at(-1) ?? '{}') as { message: { provider: string; route: { provider: string }[] } };
    expect(last.message.provider).toBe('gemini');
    expect(last.message.route.map((r) => r.provider)).toEqual(['anthropic', 'gemini']);

    const unknown = await coda(['chat', '--provider', 'nope', 'hello']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Say which model with --model for nope');
  });

  it('lists the tools the agent can use', async () => {
    const tools = JSON.parse((await coda(['tools', 'list', '--json'])).stdout) as { id: string; readOnly: boolean }[];
    expect(tools).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'coda__evaluate_math', readOnly: true })]));
  });

  it('uses the MCP servers of a Claude Desktop config, asking (and refusing without a terminal) unless --approve auto', async () => {
    const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const configFile = path.join(data.dir, 'claude_desktop_config.json');
    await writeFile(configFile, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } }));
    const call = { kind: 'stream' as const, steps: [{ toolCall: { id: 'c1', name: 'everything__echo', arguments: '{"message":"from the cli"}' } }] };

    provider.enqueue(call, textReply('Echoed.'));
    const allowed = await coda(['chat', '--mcp-config', configFile, '--approve', 'auto', '--json', 'echo please']);
    const events = allowed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; output?: unknown; isError?: boolean });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({ isError: false, output: expect.stringContaining('from the cli') });

    provider.enqueue(call, textReply('Without the tool, then.'));
    const refused = await coda(['chat', '--mcp-config', configFile, 'echo please']);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain('Allow everything › echo with {"message":"from the cli"}? [y/N] no (no terminal to ask');
    expect(refused.stdout).toContain('Without the tool, then.');
  });

  it('declines a tool server\'s question when there is no terminal to ask on, and says so', async () => {
    const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
    const configFile = path.join(data.dir, 'eliciting_config.json');
    await writeFile(configFile, JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } }));
    provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'q1', name: 'everything__trigger-elicitation-request', arguments: '{}' } }] }, textReply('No details, then.'));
    const result = await coda(['chat', '--mcp-config', configFile, '--approve', 'auto', 'ask me']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[everything] asks (this question comes from the tool server, not from Coda):\n  Please provide inputs for the following fields:');
    expect(result.stderr).toContain('Declined: there is no terminal to answer on');
    expect(result.stdout).toContain('No details, then.');
    const toolTurn = (provider.requests.filter((r) => r.body['stream'] === true).at(-1)?.body['messages'] as { role: string; content: string }[]).find((m) => m.role === 'tool');
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
