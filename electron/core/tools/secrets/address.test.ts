import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../../shared/index.js';
import { confirmServer, ok, testVault } from '../../../../tests/helpers/core.js';
import { useToolServices } from '../../../../tests/helpers/tool-services.js';
import type { Core } from '../../core.js';
import { redactUrl, splitServerAddress } from './address.js';
import { createScrubber } from './scrubber.js';
import { secretValuesOf } from './secret-values.js';
import { noSecrets } from '../../settings/tool-secrets.js';

// Keys in a server's address (`…/mcp?api_key=…`) are kept like header values: out of preferences.json, encrypted in
// keys.json, masked in Settings, and put back into the address only when the server is called.

const KEY = 'sk-query-secret-abcd';
const ROTATED = 'sk-rotated-secret-wxyz';

describe('splitting secrets out of an address', () => {
  it('takes secret parameters out and leaves the others as they were typed', () => {
    expect(splitServerAddress('x', 'http', `https://server.smithery.ai/x/mcp?api_key=${KEY}&region=eu&q=a%20b`)).toEqual({
      url: 'https://server.smithery.ai/x/mcp?region=eu&q=a%20b',
      query: { api_key: KEY },
    });
    expect(splitServerAddress('x', 'openapi', 'https://h/spec.json?apiKey=k1&token=t%2B2#top')).toEqual({
      url: 'https://h/spec.json#top',
      query: { apiKey: 'k1', token: 't%2B2' },
    });
    // An empty value gives nothing away, and nothing needs saving.
    expect(splitServerAddress('x', 'http', 'https://h/mcp?token=&region=eu')).toEqual({ url: 'https://h/mcp?token=&region=eu', query: {} });
  });

  it('refuses credentials before "@", a repeated key and a key in a service address, naming no value', () => {
    const refused = (run: () => unknown, message: RegExp) => {
      expect(run).toThrow(message);
      try {
        run();
      } catch (error) {
        expect(String(error)).not.toMatch(/hunter2|k1|k2/);
      }
    };
    refused(() => splitServerAddress('Files', 'http', 'https://me:hunter2@h/mcp'), /address of "Files" has a username or password in it.*as a header instead/);
    refused(() => splitServerAddress('Shop', 'openapi', 'https://me:hunter2@h/spec.json'), /auth settings instead/);
    refused(
      () => splitServerAddress('Shop', 'openapi', 'https://h/spec.json', 'https://me:hunter2@h/api'),
      /service address of "Shop" has a username or password/,
    );
    refused(
      () => splitServerAddress('Shop', 'openapi', 'https://h/spec.json', 'https://h/api?api_key=k1'),
      /carries api_key in its query: give it as the service's API key/,
    );
    refused(() => splitServerAddress('x', 'http', 'https://h/mcp?key=k1&key=k2'), /query parameter key more than once/);
  });

  it('redacts secret values in an address for messages, and in messages that quote it', () => {
    expect(redactUrl(`https://h/spec.json?api_key=${KEY}&v=2`)).toBe('https://h/spec.json?api_key=••••&v=2');
    expect(redactUrl('https://h/spec.json?v=2')).toBe('https://h/spec.json?v=2');
    expect(redactUrl('https://ann:hunter2@h/mcp')).toBe('https://ann:••••@h/mcp');
    const quoted = `Protected resource https://h/mcp?api_key=${encodeURIComponent('k+1/2=')}&v=2 does not match; header Bearer tok-12345`;
    const server = {
      id: 'h',
      label: 'h',
      transport: 'http' as const,
      url: `https://h/mcp?api_key=${encodeURIComponent('k+1/2=')}`,
      headers: { authorization: 'Bearer tok-12345' },
    };
    expect(createScrubber(secretValuesOf(server, noSecrets())).text(quoted)).toBe(
      'Protected resource https://h/mcp?api_key=••••&v=2 does not match; header ••••',
    );
  });

  it('keeps a key exactly as written in the address: a + or an escape goes out as it came', () => {
    const split = splitServerAddress('x', 'http', 'https://h/mcp?api_key=a+b%2Fc%3D&v=1');
    expect(split).toEqual({ url: 'https://h/mcp?v=1', query: { api_key: 'a+b%2Fc%3D' } });
  });
});

const fx = useToolServices('unused-token');
const setup = fx.setup;

const servers = async (core: Core) => ok(await core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>;
const remote = async (core: Core) => (await servers(core)).servers.find((s) => s.id === 'remote');

/** Starts (or restarts) the HTTP server and returns the query its requests came with. */
async function connect(core: Core): Promise<Record<string, string>> {
  fx.mcp.urls.length = 0;
  const server = (await servers(core)).servers.find((s) => s.id === 'remote');
  if (server?.confirmed) ok(await core.invoke('tools.restartServer', { id: 'remote' }));
  else ok(await confirmServer(core, 'remote', true));
  await core.invoke('tools.list', { servers: ['remote'] });
  expect(await remote(core)).toMatchObject({ status: 'ready', toolCount: 1 });
  return Object.fromEntries(new URL(fx.mcp.urls[0] ?? '', fx.mcp.url).searchParams);
}

describe('secret query parameters of tool servers', () => {
  it('keeps a key of an MCP address out of preferences and keys.json, masks it, and the server gets the full query', async () => {
    const t = await setup({ vault: testVault });
    const added = ok(
      await t.core.invoke('tools.addServers', { servers: [{ label: 'remote', url: `${fx.mcp.url}?api_key=${KEY}&region=eu` }] }),
    ) as MethodOutput<'tools.servers'>;

    const preferences = await t.file('preferences.json');
    expect(preferences).not.toContain(KEY);
    expect(JSON.parse(preferences).toolServers[0]).toEqual({
      id: 'remote',
      label: 'remote',
      transport: 'http',
      url: `${fx.mcp.url}?region=eu`,
      secretQueryNames: ['api_key'],
      headerNames: [],
      confirmed: false,
      trusted: false,
    });
    const keys = await t.file('keys.json');
    expect(keys).toContain('"tool:remote"');
    expect(keys).not.toContain(KEY);

    expect(JSON.stringify(added)).not.toContain(KEY);
    expect(added.servers.find((s) => s.id === 'remote')).toMatchObject({
      url: `${fx.mcp.url}?region=eu&api_key=••••abcd`,
      command: `${fx.mcp.url}?region=eu&api_key=••••abcd`,
      secretQuery: [{ name: 'api_key', saved: true, last4: 'abcd' }],
      headers: [],
    });

    expect(await connect(t.core)).toEqual({ region: 'eu', api_key: KEY });
    await t.reopen();
    expect(await connect(t.core)).toEqual({ region: 'eu', api_key: KEY });
  });

  it('replaces a key in place, and refuses a parameter the server does not have without echoing the value', async () => {
    const t = await setup({ vault: testVault });
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [
          { label: 'remote', url: `${fx.mcp.url}?api_key=${KEY}&region=eu` },
          { label: 'cmd', command: 'echo', args: [], env: {} },
        ],
      }),
    );
    expect(await connect(t.core)).toEqual({ region: 'eu', api_key: KEY });

    fx.mcp.urls.length = 0;
    const replaced = ok(await t.core.invoke('tools.updateSecrets', { id: 'remote', query: { api_key: ROTATED } })) as MethodOutput<'tools.servers'>;
    expect(JSON.stringify(replaced)).not.toContain(ROTATED);
    expect(replaced.servers.find((s) => s.id === 'remote')).toMatchObject({
      status: 'ready',
      url: `${fx.mcp.url}?region=eu&api_key=••••wxyz`,
      secretQuery: [{ name: 'api_key', saved: true, last4: 'wxyz' }],
    });
    expect(fx.mcp.urls.map((u) => new URL(u, fx.mcp.url).searchParams.get('api_key'))).toContain(ROTATED);
    expect(await t.file('keys.json')).not.toContain(ROTATED);
    expect(await t.file('preferences.json')).not.toMatch(/secret-abcd|secret-wxyz/);

    const keysBefore = await t.file('keys.json');
    for (const [input, message] of [
      [
        { id: 'remote', query: { API_KEY: 'sk-never-shown-4321' } },
        '"remote" has no secret query parameter "API_KEY" to replace (its secret query parameters: api_key)',
      ],
      [{ id: 'remote', query: { region: 'sk-never-shown-4321' } }, 'no secret query parameter "region"'],
      [{ id: 'cmd', query: { api_key: 'sk-never-shown-4321' } }, 'is a command on this computer'],
    ] as const) {
      const result = await t.core.invoke('tools.updateSecrets', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining(message) } });
      expect(JSON.stringify(result)).not.toContain('never-shown');
    }
    expect(await t.file('keys.json')).toBe(keysBefore);
  });

  it('refuses a user name and password in an address, and saves nothing of the servers added with it', async () => {
    const t = await setup({ vault: testVault });
    const result = await t.core.invoke('tools.addServers', {
      servers: [
        { label: 'first', url: `${fx.mcp.url}?api_key=${KEY}` },
        { label: 'remote', url: fx.mcp.url.replace('http://', 'http://me:hunter2-password@') },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('The address of "remote" has a username or password in it') },
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect((await servers(t.core)).servers.map((s) => s.id)).toEqual(['coda']);
    expect(await t.file('keys.json')).not.toContain('tool:');
  });

  it('imports a Claude config whose remote server has a key in its address', async () => {
    const t = await setup({ vault: testVault });
    const claudeConfig = JSON.stringify({ mcpServers: { remote: { type: 'http', url: `${fx.mcp.url}?token=${KEY}&region=eu` } } });
    const added = ok(await t.core.invoke('tools.addServers', { claudeConfig })) as MethodOutput<'tools.servers'>;
    expect(added.servers.find((s) => s.id === 'remote')).toMatchObject({
      url: `${fx.mcp.url}?region=eu&token=••••abcd`,
      secretQuery: [{ name: 'token', saved: true, last4: 'abcd' }],
    });
    expect(await t.file('preferences.json')).not.toContain(KEY);
    expect(await connect(t.core)).toEqual({ region: 'eu', token: KEY });
  });

  it('does not call the server without a key it cannot read here, and says which to replace', async () => {
    const t = await setup();
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'remote', url: `${fx.mcp.url}?api_key=${KEY}` }] }));
    expect(await t.file('preferences.json')).not.toContain(KEY);
    expect(await connect(t.core)).toEqual({ api_key: KEY });

    await t.reopen();
    fx.mcp.urls.length = 0;
    ok(await t.core.invoke('tools.restartServer', { id: 'remote' }));
    await t.core.invoke('tools.list', { servers: ['remote'] });
    expect(await remote(t.core)).toMatchObject({
      status: 'failed',
      url: `${fx.mcp.url}?api_key=(not saved)`,
      secretQuery: [{ name: 'api_key', saved: false, last4: null }],
      error: expect.stringContaining('value of the api_key query parameter cannot be read here'),
    });
    expect(fx.mcp.urls).toEqual([]);
    ok(await t.core.invoke('tools.updateSecrets', { id: 'remote', query: { api_key: ROTATED } }));
    expect(await connect(t.core)).toEqual({ api_key: ROTATED });
  });

  it('keeps the key of an OpenAPI description address out of preferences and its cache', async () => {
    const t = await setup({ vault: testVault });
    fx.service.requests.length = 0;
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'inventory', openapi: `${fx.service.url}/openapi.yaml?api_key=${KEY}` }] }));
    const list = (ok(await confirmServer(t.core, 'inventory', true)) as MethodOutput<'tools.servers'>).servers;
    expect(list.find((s) => s.id === 'inventory')).toMatchObject({ status: 'ready', url: `${fx.service.url}/openapi.yaml?api_key=••••abcd` });
    expect(fx.service.requests.map((r) => r.url)).toContain(`/openapi.yaml?api_key=${KEY}`);
    expect(await t.file('preferences.json')).not.toContain(KEY);
    const cache = await readdir(path.join(t.dataDir, 'openapi-cache'));
    expect(cache).toEqual(['inventory.json']);
    expect(await t.file(path.join('openapi-cache', 'inventory.json'))).not.toContain(KEY);

    // Removing the service takes its cached description along.
    ok(await t.core.invoke('tools.removeServer', { id: 'inventory' }));
    expect(await readdir(path.join(t.dataDir, 'openapi-cache'))).toEqual([]);
  });
});
