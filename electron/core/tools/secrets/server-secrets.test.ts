import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../shared/index.js';
import { collectRun, confirmServer, ok, testVault } from '../../../../tests/helpers/core.js';
import { useToolServices } from '../../../../tests/helpers/tool-services.js';
import { textReply } from '../../../../tests/provider-server/script.js';
import type { Core } from '../../core.js';
import type { SecretVault } from '../../settings/key-store.js';

// Header values, OpenAPI credentials and secret environment variables go to the key store (one record per server),
// never to preferences.json, and never back to the UI.

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

const HTTP_TOKEN = 'http-secret-token-1234';
const API_TOKEN = 'openapi-secret-token-5678';
const GITHUB_TOKEN = 'ghp_secret-token-ab12';

const fx = useToolServices(API_TOKEN);
const setup = fx.setup;

const servers = async (core: Core) => ok(await core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>;

/** Has the model call one OpenAPI operation; the service answers 401 unless the right token came with it. */
async function callInventory(core: Core): Promise<Extract<RunEvent, { type: 'tool-result' }>> {
  fx.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'i', name: 'inventory__getItem', arguments: '{"id":7}' } }] }, textReply('Done.'));
  const session = ok(await core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'item 7', approval: 'auto' })) as { runId: string };
  const events = await collectRun(core, started.runId);
  return events.find((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result')!;
}

/** Has the model call server-everything's get-env over stdio; returns what the process saw, as text. */
/** The variable as the server printed it, masked (see processEnv). */
const GIVEN_TOKEN = /GITHUB_TOKEN[\\":\s]+••••[\\"]/;

async function processEnv(core: Core): Promise<string> {
  fx.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: 'g', name: 'everything__get-env', arguments: '{}' } }] }, textReply('Done.'));
  const session = ok(await core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await core.invoke('chat.send', { sessionId: session.id, text: 'env', approval: 'auto' })) as { runId: string };
  const result = (await collectRun(core, started.runId)).find((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result')!;
  expect(result.isError, JSON.stringify(result.output)).toBe(false);
  return JSON.stringify(result.output);
}

const everythingServer = { label: 'everything', command: process.execPath, args: [everything, 'stdio'], env: { GITHUB_TOKEN, LOG_LEVEL: 'debug' } };

/** Starts the HTTP server and returns the Authorization header it got. */
async function connectRemote(core: Core, id: string): Promise<string | undefined> {
  fx.mcp.authorizations.length = 0;
  const list = (ok(await confirmServer(core, id, true)) as MethodOutput<'tools.servers'>).servers;
  expect(list.find((s) => s.id === id)).toMatchObject({ status: 'ready', toolCount: 1 });
  return fx.mcp.authorizations.find((a) => a !== undefined);
}

describe('tool server secrets', () => {
  it('keeps header values and tokens out of preferences, encrypted in keys.json, and still sends them', async () => {
    const t = await setup({ vault: testVault });
    const added = ok(
      await t.core.invoke('tools.addServers', {
        servers: [
          { label: 'remote', url: fx.mcp.url, headers: { Authorization: `Bearer ${HTTP_TOKEN}` } },
          { label: 'inventory', openapi: `${fx.service.url}/openapi.yaml`, auth: { type: 'bearer', token: API_TOKEN } },
        ],
      }),
    ) as MethodOutput<'tools.servers'>;

    const preferences = await t.file('preferences.json');
    // Names and shapes only: the saved configuration has no field a value could go in.
    expect(JSON.parse(preferences).toolServers).toEqual([
      {
        id: 'remote',
        label: 'remote',
        transport: 'http',
        url: fx.mcp.url,
        secretQueryNames: [],
        headerNames: ['Authorization'],
        confirmed: false,
        trusted: false,
      },
      {
        id: 'inventory',
        label: 'inventory',
        transport: 'openapi',
        url: `${fx.service.url}/openapi.yaml`,
        secretQueryNames: [],
        origin: fx.service.url,
        auth: { type: 'bearer' },
        confirmed: false,
        trusted: false,
      },
    ]);
    expect(preferences).not.toContain(HTTP_TOKEN);
    expect(preferences).not.toContain(API_TOKEN);
    const keys = await t.file('keys.json');
    expect(Object.keys(JSON.parse(keys).keys)).toEqual(['tool:remote', 'tool:inventory']);
    expect(keys).not.toContain(HTTP_TOKEN);
    expect(keys).not.toContain(API_TOKEN);

    // The UI sees names, types and a 4-character hint, never a value.
    expect(added.secretsPersistent).toBe(true);
    expect(JSON.stringify(added)).not.toContain(HTTP_TOKEN);
    expect(JSON.stringify(added)).not.toContain(API_TOKEN);
    expect(added.servers.find((s) => s.id === 'remote')).toMatchObject({ headers: [{ name: 'Authorization', saved: true, last4: '1234' }], auth: null });
    expect(added.servers.find((s) => s.id === 'inventory')).toMatchObject({ headers: [], auth: { type: 'bearer', saved: true, last4: '5678' } });

    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);
    ok(await confirmServer(t.core, 'inventory', true));
    expect(await callInventory(t.core)).toMatchObject({ isError: false });

    // Saved for good: a restart reads them from keys.json.
    await t.reopen();
    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);
    expect(await callInventory(t.core)).toMatchObject({ isError: false });
    expect(JSON.stringify(await servers(t.core))).not.toMatch(/secret-token/);

    // Removing a server forgets its secrets.
    ok(await t.core.invoke('tools.removeServer', { id: 'remote' }));
    expect(Object.keys(JSON.parse(await t.file('keys.json')).keys)).toEqual(['tool:inventory']);
    ok(await t.core.invoke('tools.removeServer', { id: 'inventory' }));
    expect(await t.file('keys.json')).not.toContain('tool:');
  });

  it('keeps new secrets in memory only where nothing can encrypt: used now, never written', async () => {
    const t = await setup();
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'remote', url: fx.mcp.url, headers: { Authorization: `Bearer ${HTTP_TOKEN}` } }] }));
    expect(await t.file('preferences.json')).not.toContain(HTTP_TOKEN);
    expect(await t.file('keys.json')).toBe('');
    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);

    // After a restart the value is gone, and Settings says so rather than pretending.
    await t.reopen();
    expect((await servers(t.core)).servers.find((s) => s.id === 'remote')).toMatchObject({ headers: [{ name: 'Authorization', saved: false, last4: null }] });
    // Nor is the server called without it: it does not start, and says why.
    fx.mcp.authorizations.length = 0;
    ok(await t.core.invoke('tools.restartServer', { id: 'remote' }));
    const list = (ok(await t.core.invoke('tools.list', { servers: ['remote'] })) as MethodOutput<'tools.list'>).tools;
    expect(list).toEqual([]);
    expect((await servers(t.core)).servers.find((s) => s.id === 'remote')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('value of the Authorization header cannot be read here'),
    });
    expect(fx.mcp.authorizations).toEqual([]);
  });

  it('adds nothing when the keychain encrypts but cannot give the value back', async () => {
    const brokenVault: SecretVault = {
      ...testVault,
      decrypt: () => {
        throw new Error('keyring changed');
      },
    };
    const t = await setup({ vault: brokenVault });
    const result = await t.core.invoke('tools.addServers', {
      servers: [{ label: 'remote', url: fx.mcp.url, headers: { Authorization: `Bearer ${HTTP_TOKEN}` } }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('the key store did not give it back') } });
    expect(JSON.stringify(result)).not.toContain(HTTP_TOKEN);
    expect((await servers(t.core)).servers.map((s) => s.id)).toEqual(['coda']);
    expect(await t.file('keys.json')).not.toContain('tool:');
    expect(await t.file('preferences.json')).not.toContain(HTTP_TOKEN);
  });

  it('keeps the old value when the keychain fails while replacing it', async () => {
    let broken = false;
    const flakyVault: SecretVault = {
      ...testVault,
      decrypt: (cipher) => {
        if (broken) throw new Error('keyring locked');
        return testVault.decrypt(cipher);
      },
    };
    const t = await setup({ vault: flakyVault });
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'remote', url: fx.mcp.url, headers: { Authorization: `Bearer ${HTTP_TOKEN}` } }] }));
    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);
    const keysBefore = await t.file('keys.json');

    broken = true;
    const result = await t.core.invoke('tools.updateSecrets', { id: 'remote', headers: { Authorization: 'Bearer rotated-token-4321' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('The new value for "remote" could not be saved') } });
    expect(await t.file('keys.json')).toBe(keysBefore);

    // Once the keychain opens again, the server still gets the value it had.
    broken = false;
    await t.reopen();
    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);
  });

  it('keeps a secret environment variable of a command in the key store, masks it, and gives it to the process', async () => {
    const t = await setup({ vault: testVault });
    const added = ok(await t.core.invoke('tools.addServers', { servers: [everythingServer] })) as MethodOutput<'tools.servers'>;

    const preferences = await t.file('preferences.json');
    expect(JSON.parse(preferences).toolServers[0]).toMatchObject({ env: { LOG_LEVEL: 'debug' }, secretEnvNames: ['GITHUB_TOKEN'] });
    expect(preferences).not.toContain(GITHUB_TOKEN);
    const keys = await t.file('keys.json');
    expect(keys).toContain('"tool:everything"');
    expect(keys).not.toContain(GITHUB_TOKEN);

    // Before confirmation the card still names every variable; the token only as a hint.
    expect(JSON.stringify(added)).not.toContain(GITHUB_TOKEN);
    expect(added.servers.find((s) => s.id === 'everything')).toMatchObject({
      env: { LOG_LEVEL: 'debug', GITHUB_TOKEN: '••••ab12' },
      secretEnv: [{ name: 'GITHUB_TOKEN', saved: true, last4: 'ab12' }],
    });

    ok(await confirmServer(t.core, 'everything', true));
    // The process has the token; what it prints comes back with the token masked (see scrubbing-source.ts), which
    // happens only where the printed value is exactly the saved one.
    const env = await processEnv(t.core);
    expect(env).toMatch(GIVEN_TOKEN);
    expect(env).not.toContain(GITHUB_TOKEN);
    expect(env).toContain('LOG_LEVEL');

    await t.reopen();
    expect(await processEnv(t.core)).toMatch(GIVEN_TOKEN);
    ok(await t.core.invoke('tools.removeServer', { id: 'everything' }));
    expect(await t.file('keys.json')).not.toContain('tool:everything');
  });

  it('refuses to run a command whose secret variable is lost, until it is replaced', async () => {
    const t = await setup();
    ok(await t.core.invoke('tools.addServers', { servers: [everythingServer] }));
    ok(await confirmServer(t.core, 'everything', true));
    await t.reopen();

    ok(await t.core.invoke('tools.restartServer', { id: 'everything' }));
    const lost = (await servers(t.core)).servers.find((s) => s.id === 'everything');
    expect(lost).toMatchObject({ status: 'failed', env: { GITHUB_TOKEN: '(not saved)' }, secretEnv: [{ name: 'GITHUB_TOKEN', saved: false, last4: null }] });
    expect(lost?.error).toContain('value of the GITHUB_TOKEN environment variable cannot be read here');
    expect(lost?.error).toContain('Replace');

    const replaced = ok(
      await t.core.invoke('tools.updateSecrets', { id: 'everything', env: { GITHUB_TOKEN: 'ghp_rotated-token-cd34' } }),
    ) as MethodOutput<'tools.servers'>;
    expect(JSON.stringify(replaced)).not.toContain('ghp_rotated');
    expect(replaced.servers.find((s) => s.id === 'everything')).toMatchObject({
      status: 'ready',
      secretEnv: [{ name: 'GITHUB_TOKEN', saved: true, last4: 'cd34' }],
    });
    // Masked as the new value: the process got that one, not the lost one.
    const env = await processEnv(t.core);
    expect(env).toMatch(GIVEN_TOKEN);
    expect(env).not.toContain('ghp_rotated');
  });

  it('replaces a header value and an OpenAPI token in place, and the servers get the new ones', async () => {
    const t = await setup({ vault: testVault });
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [
          { label: 'remote', url: fx.mcp.url, headers: { Authorization: 'Bearer old-token-0000' } },
          { label: 'inventory', openapi: `${fx.service.url}/openapi.yaml`, auth: { type: 'bearer', token: 'wrong-token-9999' } },
        ],
      }),
    );
    expect(await connectRemote(t.core, 'remote')).toBe('Bearer old-token-0000');
    ok(await confirmServer(t.core, 'inventory', true));
    expect(await callInventory(t.core)).toMatchObject({ isError: true });

    // The server restarts at once with the new header (its spelling of the name may differ).
    fx.mcp.authorizations.length = 0;
    const remote = ok(
      await t.core.invoke('tools.updateSecrets', { id: 'remote', headers: { authorization: `Bearer ${HTTP_TOKEN}` } }),
    ) as MethodOutput<'tools.servers'>;
    expect(remote.servers.find((s) => s.id === 'remote')).toMatchObject({ status: 'ready', headers: [{ name: 'Authorization', saved: true, last4: '1234' }] });
    expect(fx.mcp.authorizations.filter((a) => a !== undefined)).toEqual(expect.arrayContaining([`Bearer ${HTTP_TOKEN}`]));
    expect(fx.mcp.authorizations).not.toContain('Bearer old-token-0000');

    const inventory = ok(await t.core.invoke('tools.updateSecrets', { id: 'inventory', auth: { token: API_TOKEN } })) as MethodOutput<'tools.servers'>;
    expect(JSON.stringify(inventory)).not.toMatch(/secret-token/);
    expect(inventory.servers.find((s) => s.id === 'inventory')).toMatchObject({ auth: { type: 'bearer', saved: true, last4: '5678' } });
    expect(await callInventory(t.core)).toMatchObject({ isError: false });

    const keys = await t.file('keys.json');
    expect(keys).not.toContain(HTTP_TOKEN);
    expect(keys).not.toContain(API_TOKEN);
    expect(await t.file('preferences.json')).not.toMatch(/secret-token|old-token|wrong-token/);
    await t.reopen();
    expect(await connectRemote(t.core, 'remote')).toBe(`Bearer ${HTTP_TOKEN}`);
  });

  it('refuses to replace what a server does not have, with a clear error, and saves nothing', async () => {
    const t = await setup({ vault: testVault });
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [
          { label: 'remote', url: fx.mcp.url, headers: { Authorization: `Bearer ${HTTP_TOKEN}` } },
          everythingServer,
          { label: 'inventory', openapi: `${fx.service.url}/openapi.yaml`, auth: { type: 'bearer', token: API_TOKEN } },
        ],
      }),
    );
    const keysBefore = await t.file('keys.json');
    const refused = async (input: Record<string, unknown>, message: string) => {
      const result = await t.core.invoke('tools.updateSecrets', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining(message) } });
      expect(JSON.stringify(result)).not.toContain('new-value-4321');
    };
    await refused({ id: 'remote', headers: { 'X-Api-Key': 'new-value-4321' } }, '"remote" has no header "X-Api-Key" to replace (its headers: Authorization)');
    await refused({ id: 'remote', headers: { Authorization: 'new-value-4321', 'X-Other': 'new-value-4321' } }, 'no header "X-Other"');
    await refused(
      { id: 'everything', env: { GITHUB_TOKN: 'new-value-4321' } },
      'no secret environment variable "GITHUB_TOKN" to replace (its secret variables: GITHUB_TOKEN)',
    );
    await refused({ id: 'everything', env: { LOG_LEVEL: 'new-value-4321' } }, 'LOG_LEVEL of "everything" is not kept as a secret');
    await refused({ id: 'everything', headers: { Authorization: 'new-value-4321' } }, 'not an MCP server over HTTP');
    await refused({ id: 'inventory', auth: { value: 'new-value-4321' } }, 'give the new one as "token"');
    await refused({ id: 'coda', env: { GITHUB_TOKEN: 'new-value-4321' } }, 'built-in tools have no secrets');
    await refused({ id: 'remote' }, 'at least one new value');
    await refused({ id: 'remote', oauth: { clientSecret: 'new-value-4321' } }, 'has no OAuth client registered ahead');
    expect(await t.core.invoke('tools.updateSecrets', { id: 'nope', auth: { token: 'new-value-4321' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // A half-valid request changed nothing: the Authorization header above was not replaced either.
    expect(await t.file('keys.json')).toBe(keysBefore);
  });

  it('shows a pre-registered OAuth client by its ID and a hint, and replaces its secret in place', async () => {
    const t = await setup({ vault: testVault });
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'remote', url: fx.mcp.url, oauth: { clientId: 'coda-desktop', clientSecret: 'first-client-secret-1234' } }],
      }),
    );
    const before = (await servers(t.core)).servers.find((s) => s.id === 'remote');
    expect(before?.oauthClient).toEqual({ clientId: 'coda-desktop', asService: false, secret: { saved: true, last4: '1234' }, privateKey: null });
    expect(await t.file('preferences.json')).not.toContain('first-client-secret');

    const after = (
      ok(await t.core.invoke('tools.updateSecrets', { id: 'remote', oauth: { clientSecret: 'second-client-secret-5678' } })) as MethodOutput<'tools.servers'>
    ).servers;
    expect(after.find((s) => s.id === 'remote')?.oauthClient?.secret).toEqual({ saved: true, last4: '5678' });
    expect(JSON.stringify(after)).not.toContain('second-client-secret');
    expect(await t.core.invoke('tools.updateSecrets', { id: 'remote', oauth: { privateKey: '-----BEGIN PRIVATE KEY-----' } })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('a private key is only for signing in as a service') },
    });
  });
});
