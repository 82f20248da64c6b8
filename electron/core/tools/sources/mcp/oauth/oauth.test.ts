import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOAuthMcpServer } from '../../../../../../tests/fixtures/oauth-mcp-server.js';
import type { MethodOutput } from '../../../../../../shared/index.js';
import { collectRun, confirmServer, ok, startTestCore, tempDir } from '../../../../../../tests/helpers/core.js';
import { textReply } from '../../../../../../tests/provider-server/script.js';
import { KeyStore, type SecretVault } from '../../../../settings/key-store.js';
import { ToolSecrets } from '../../../../settings/tool-secrets.js';
import type { SignInHooks } from '../../services.js';
import { McpConnection } from '../mcp-connection.js';
import { forgetSignIn } from './server-oauth.js';
import { ToolRegistry } from '../../../tool-registry.js';

/** Stands in for the OS keychain: reversible, and visibly not the plain text. */
const testVault: SecretVault = {
  available: true,
  warning: null,
  encrypt: (plain) => Buffer.from(plain).toString('base64'),
  decrypt: (cipher) => Buffer.from(cipher, 'base64').toString(),
};

/** Plays the user's browser: the test authorization server approves at once; the redirect lands on Coda's listener. */
async function followSignIn(url: string | URL): Promise<Response> {
  const approval = await fetch(url, { redirect: 'manual' });
  const location = approval.headers.get('location');
  if (!location) throw new Error(`no redirect (${approval.status}): ${await approval.text()}`);
  return fetch(location);
}

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()?.();
});

async function setup() {
  const server = await startOAuthMcpServer();
  const dir = await tempDir();
  disposers.push(dir.remove, () => server.close());
  const secrets = () => new ToolSecrets(new KeyStore(dir.dir, testVault));
  const connect = (hooks: SignInHooks = {}, store = secrets()) => {
    const connection = new McpConnection({ id: 'remote', label: 'Remote tools', transport: 'http', url: server.url }, { secrets: store, signIn: hooks });
    disposers.push(() => connection.close());
    return connection;
  };
  return { server, dir: dir.dir, connect };
}

function changed(connection: McpConnection): Promise<void> {
  return new Promise((resolve) => {
    connection.onChange = () => resolve();
  });
}

describe('OAuth for remote MCP servers', () => {
  it('asks the user to sign in, finishes in the background, and keeps the tokens encrypted across restarts', async () => {
    const { server, dir, connect } = await setup();
    const first = connect();
    await expect(first.start()).rejects.toMatchObject({ code: 'sign_in_required', message: expect.stringContaining('Settings › Tools') });
    expect(first.status).toBe('needs-sign-in');
    const signInUrl = first.oauth?.signInUrl;
    expect(signInUrl).toMatch(/\/authorize\?.*code_challenge_method=S256/);

    const ready = changed(first);
    const page = await followSignIn(signInUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Signed in to Remote tools');
    await ready;
    expect(first.status).toBe('ready');
    expect(first.oauth?.signInUrl).toBeNull();
    expect((await first.tools()).map((t) => t.name)).toEqual(['whoami']);
    const call = await first.call('whoami', {}, { signal: new AbortController().signal, timeoutMs: 5_000 });
    expect(call.text).toMatch(/^client [0-9a-f-]{36}$/);
    await first.close();

    // Coda restarted: the saved tokens are used, no second sign-in.
    const second = connect();
    await second.start();
    expect(second.status).toBe('ready');
    expect(server.state.authorizations).toBe(1);

    // Nothing readable on disk: the token is in keys.json only through the vault.
    const keys = await readFile(path.join(dir, 'keys.json'), 'utf8');
    expect(keys).toContain('"tool:remote"');
    expect(keys).not.toContain('access_token');
  });

  it('refreshes an expired access token without asking the user again', async () => {
    const { server, connect } = await setup();
    const first = connect({ openSignIn: (url) => void followSignIn(url), waitMs: 10_000 });
    await first.start();
    await first.close();
    server.state.expireAccessTokens();
    const second = connect();
    await second.start();
    expect((await second.call('whoami', {}, { signal: new AbortController().signal, timeoutMs: 5_000 })).isError).toBe(false);
    expect(server.state.refreshes).toBe(1);
    expect(server.state.authorizations).toBe(1);
  });

  it('waits for the sign-in where the host can (the CLI), then connects in one go', async () => {
    const { connect } = await setup();
    const opened: string[] = [];
    const connection = connect({
      // Done before the SDK even reports that a sign-in is needed (as the conformance harness does it).
      openSignIn: async (url) => {
        opened.push(url.href);
        await followSignIn(url);
      },
      waitMs: 10_000,
    });
    await connection.start();
    expect(opened).toHaveLength(1);
    expect(connection.status).toBe('ready');
  });

  it('refuses an answer that is not for its sign-in, and reports a refused sign-in', async () => {
    const { connect } = await setup();
    const connection = connect();
    await expect(connection.start()).rejects.toMatchObject({ code: 'sign_in_required' });
    const url = new URL(connection.oauth!.signInUrl!);
    const callback = new URL(url.searchParams.get('redirect_uri')!);

    const forged = await fetch(`${callback.href}?code=stolen&state=not-the-one`);
    expect(forged.status).toBe(400);
    expect(connection.status).toBe('needs-sign-in');

    const failed = changed(connection);
    const refused = await fetch(
      `${callback.href}?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}&state=${url.searchParams.get('state')}`,
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toContain('<b>');
    await failed;
    expect(connection.status).toBe('failed');
    expect(connection.oauth?.signInUrl).toBeNull();

    // Not stuck: the next start begins a new sign-in.
    await expect(connection.start()).rejects.toMatchObject({ code: 'sign_in_required' });
    expect(new URL(connection.oauth!.signInUrl!).searchParams.get('state')).not.toBe(url.searchParams.get('state'));

    // Closing stops the listener: nothing answers on the callback port any more.
    await connection.close();
    await expect(fetch(callback.href)).rejects.toThrow();
  });

  it('runs one start, and one registration, when several callers need the server at once', async () => {
    const { server } = await setup();
    const registry = new ToolRegistry(() => [{ id: 'remote', label: 'Remote tools', transport: 'http', url: server.url }], {
      services: { secrets: ToolSecrets.inMemory() },
    });
    disposers.push(() => registry.close());
    const results = await Promise.all([registry.definitions(['remote']), registry.definitions(['remote']), registry.definitions(['*'])]);
    for (const result of results) expect(result.unavailable).toMatchObject([{ server: 'remote', signInNeeded: true }]);
    expect(server.state.clients.size).toBe(1);
    expect(registry.status('remote')).toMatchObject({ status: 'needs-sign-in' });
  });

  it('signs out: the tokens are forgotten and the next start asks again', async () => {
    const { server, connect } = await setup();
    const secrets = new ToolSecrets(new KeyStore((await tempDir()).dir, testVault));
    const first = connect({ openSignIn: (url) => void followSignIn(url), waitMs: 10_000 }, secrets);
    await first.start();
    expect(first.oauth?.signedIn).toBe(true);
    await first.close();
    forgetSignIn(secrets, 'remote');
    const second = connect({}, secrets);
    await expect(second.start()).rejects.toMatchObject({ code: 'sign_in_required' });
    expect(second.oauth?.signInUrl).toContain(server.url.replace('/mcp', '/authorize'));
  });
});

describe('a remote server behind OAuth, through the app API', () => {
  it('tells the chat its tools wait for a sign-in, then offers them once the user signed in', async () => {
    const remote = await startOAuthMcpServer();
    const t = await startTestCore({ tools: true });
    disposers.push(
      () => remote.close(),
      () => t.dispose(),
    );
    const serversChanged: string[] = [];
    const unsubscribe = t.core.subscribe({ topic: 'app' }, (event) => {
      if (event.type === 'tool-servers-changed') serversChanged.push(event.serverId);
    });
    disposers.push(async () => unsubscribe());
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'Remote', url: remote.url }] }));
    const confirmed = (ok(await confirmServer(t.core, 'remote', true)) as MethodOutput<'tools.servers'>).servers;
    const waiting = confirmed.find((s) => s.id === 'remote')!;
    expect(waiting).toMatchObject({ status: 'needs-sign-in', signedIn: false });
    expect(waiting.error).toContain('needs you to sign in');

    // A chat meanwhile says which tools are missing, and why.
    t.provider.enqueue(textReply('No remote tools today.'));
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'who am I?' })) as { runId: string };
    const events = await collectRun(t.core, started.runId);
    expect(events.find((e) => e.type === 'tools-unavailable')).toMatchObject({ servers: [{ server: 'remote', label: 'Remote', signInNeeded: true }] });

    await followSignIn(waiting.signInUrl!);
    await expect.poll(() => serversChanged.includes('remote')).toBe(true);
    await expect
      .poll(async () => (ok(await t.core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>).servers.find((s) => s.id === 'remote'))
      .toMatchObject({ status: 'ready', signedIn: true, signInUrl: null, error: null });
    const tools = ok(await t.core.invoke('tools.list', { servers: ['remote'] })) as MethodOutput<'tools.list'>;
    expect(tools.tools.map((tool) => tool.id)).toEqual(['remote__whoami']);

    const signedOut = (ok(await t.core.invoke('tools.signOut', { id: 'remote' })) as MethodOutput<'tools.servers'>).servers;
    expect(signedOut.find((s) => s.id === 'remote')).toMatchObject({ signedIn: false });
  });
});

describe('a remote server used as a service (client credentials)', () => {
  it('says what is missing instead of trying a sign-in', async () => {
    const connection = new McpConnection(
      { id: 'svc', label: 'Service', transport: 'http', url: 'http://127.0.0.1:9/mcp', oauth: { grant: 'client_credentials', clientId: 'coda' } },
      { secrets: ToolSecrets.inMemory() },
    );
    await expect(connection.start()).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('needs its client secret or private key') });
    expect(connection.oauth).toBeNull();
    expect(connection.status).toBe('failed');
  });
});
