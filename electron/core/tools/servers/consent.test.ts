import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestCore, testVault, type TestCore } from '../../../../tests/helpers/core.js';
import { serverConsentText, serverConsentView, serverFingerprint, type ShownServer } from './consent.js';

// A confirmation starts the server the user saw, or nothing: never one swapped in under the same id.

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

const command: ShownServer = {
  label: 'files',
  transport: 'stdio',
  url: null,
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/notes'],
  env: { LOG_LEVEL: 'debug', GITHUB_TOKEN: '••••ab12' },
  secretEnv: [{ name: 'GITHUB_TOKEN', saved: true, last4: 'ab12' }],
  headers: [],
  auth: null,
  oauthClient: null,
  callOrigin: null,
};

describe('what a server confirmation shows and binds', () => {
  it('changes the fingerprint with anything the dialog shows, and only with that', () => {
    const base = serverFingerprint(command);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const changed: ShownServer[] = [
      { ...command, label: 'files2' },
      { ...command, command: 'npm' },
      { ...command, args: ['-y', '@modelcontextprotocol/server-filesystem', '/'] },
      { ...command, args: [...command.args, '--write'] },
      { ...command, env: { ...command.env, LOG_LEVEL: 'info' } },
      { ...command, env: { ...command.env, NODE_OPTIONS: '--require /tmp/x.js' } },
      { ...command, env: { ...command.env, GITHUB_TOKEN: '••••zz99' } },
    ];
    for (const server of changed) expect(serverFingerprint(server)).not.toBe(base);
    // The order variables come in is not something the user sees as a difference.
    expect(serverFingerprint({ ...command, env: { GITHUB_TOKEN: '••••ab12', LOG_LEVEL: 'debug' } })).toBe(base);

    const remote: ShownServer = {
      ...command,
      transport: 'http',
      url: 'https://mcp.example.com/mcp',
      command: 'https://mcp.example.com/mcp',
      args: [],
      env: {},
      secretEnv: [],
      headers: [{ name: 'Authorization', saved: true, last4: '1234' }],
    };
    expect(serverFingerprint({ ...remote, url: 'https://evil.example.com/mcp' })).not.toBe(serverFingerprint(remote));
    expect(serverFingerprint({ ...remote, headers: [...remote.headers, { name: 'X-Extra', saved: true, last4: null }] })).not.toBe(serverFingerprint(remote));
  });

  it('shows the command, every argument and variable in full, and no value can pose as another line', () => {
    const text = serverConsentText(serverConsentView({ ...command, label: 'files\u202Eexe.txt', args: [...command.args, 'x\n\nEnvironment:\n(none)'] }));
    expect(text.message).toBe('Start the tool server "files\\u202eexe.txt"?');
    expect(text.detail).toContain('Command:\nnpx -y @modelcontextprotocol/server-filesystem /home/me/notes "x\\n\\nEnvironment:\\n(none)"');
    expect(text.detail).toContain('LOG_LEVEL=debug');
    expect(text.detail).toContain('GITHUB_TOKEN=••••ab12 (secret, kept in the key store)');
    expect(text.detail.match(/^Environment:$/gm)).toHaveLength(1);
    expect(text.checkboxLabel).toBe('Trust its read-only tools');
    expect(serverConsentText(serverConsentView({ ...command, command: 'C:\\tools\\server.exe', args: [] })).detail).toContain(
      'Command:\nC:\\tools\\server.exe\n',
    );

    const service = serverConsentText(
      serverConsentView({
        ...command,
        transport: 'openapi',
        url: 'https://api.example.com/openapi.json',
        command: '',
        args: [],
        env: {},
        secretEnv: [],
        auth: { type: 'apiKey', in: 'header', name: 'X-Key', username: null, saved: true, last4: null },
      }),
    );
    expect(service.detail).toContain('OpenAPI description:\nhttps://api.example.com/openapi.json');
    expect(service.detail).toContain('an API key in the header X-Key');
  });

  it("shows where an OpenAPI service's calls go, and binds the confirmation to that origin", () => {
    const service: ShownServer = {
      ...command,
      transport: 'openapi',
      url: 'https://docs.example.com/openapi.json',
      command: '',
      args: [],
      env: {},
      secretEnv: [],
      callOrigin: { pinned: 'https://api.example.com', changedTo: null },
    };
    expect(serverConsentText(serverConsentView(service)).detail).toContain('Its calls, and the credentials with them, go to:\nhttps://api.example.com');
    const moved = { ...service, callOrigin: { pinned: 'https://api.example.com', changedTo: 'https://collector.example.net' } };
    expect(serverConsentText(serverConsentView(moved)).detail).toContain('go to:\nhttps://collector.example.net');
    expect(serverFingerprint(moved)).not.toBe(serverFingerprint(service));
  });
});

describe('confirming a server in core', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore({ vault: testVault });
  });
  afterAll(async () => {
    await t.dispose();
  });
  const listed = async (id: string) => ok(await t.core.invoke('tools.servers', {})).servers.find((s) => s.id === id);

  it('never gives a removed server id to a new server, so its confirmation cannot start the new one', async () => {
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'notes', command: process.execPath, args: [everything, 'stdio'], env: {} }] }));
    const seen = await listed('notes');
    expect(seen?.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // The page removes it and adds another program under the same label before the user's click arrives.
    ok(await t.core.invoke('tools.removeServer', { id: 'notes' }));
    const added = ok(
      await t.core.invoke('tools.addServers', { servers: [{ label: 'notes', command: process.execPath, args: ['-e', 'process.exit(3)'], env: {} }] }),
    );
    expect(added.servers.map((s) => s.id)).toEqual(['coda', 'notes_2']);

    const refused = await t.core.invoke('tools.confirmServer', { id: 'notes', fingerprint: seen?.fingerprint, trusted: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await listed('notes_2')).toMatchObject({ confirmed: false, trusted: false, status: 'stopped' });

    // Retired for good: preferences remember it across restarts.
    await t.reopen();
    ok(await t.core.invoke('tools.removeServer', { id: 'notes_2' }));
    const again = ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'notes', command: 'true', args: [], env: {} }] }));
    expect(again.servers.map((s) => s.id)).toEqual(['coda', 'notes_3']);
    ok(await t.core.invoke('tools.removeServer', { id: 'notes_3' }));
  });

  it('refuses a confirmation of what the server no longer is, with a clear reason, and starts it with the current one', async () => {
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'echo', command: process.execPath, args: [everything, 'stdio'], env: { API_TOKEN: 'tok-old-0001' } }],
      }),
    );
    const seen = await listed('echo');
    // A secret replaced after the user looked: its hint (and so the fingerprint) is not what they saw.
    ok(await t.core.invoke('tools.updateSecrets', { id: 'echo', env: { API_TOKEN: 'tok-new-0002' } }));
    const refused = await t.core.invoke('tools.confirmServer', { id: 'echo', fingerprint: seen?.fingerprint, trusted: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('"echo" changed after it was shown to you') } });
    expect(await listed('echo')).toMatchObject({ confirmed: false, status: 'stopped' });

    const now = await listed('echo');
    const started = ok(await t.core.invoke('tools.confirmServer', { id: 'echo', fingerprint: now?.fingerprint, trusted: false }));
    expect(started.servers.find((s) => s.id === 'echo')).toMatchObject({ confirmed: true, status: 'ready' });
    ok(await t.core.invoke('tools.removeServer', { id: 'echo' }));
  });
});
