import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../../shared/index.js';
import { startOpenApiService, spec } from '../../../../../tests/fixtures/openapi-service.js';
import { collectRun, confirmServer, ok, startTestCore, testVault, type TestCore } from '../../../../../tests/helpers/core.js';
import { textReply } from '../../../../../tests/provider-server/script.js';

// An OpenAPI service's credentials go where its description's first server says. The user sees and confirms that
// origin; when the description later names another one (changed at the daily refresh, or by whoever controls it),
// nothing is sent there, credentials least of all, until the user confirms the new origin.
const TOKEN = 'pinned-token-5a6b7c8d';

let home: Awaited<ReturnType<typeof startOpenApiService>>;
let elsewhere: Awaited<ReturnType<typeof startOpenApiService>>;
let t: TestCore;
beforeAll(async () => {
  home = await startOpenApiService(TOKEN);
  elsewhere = await startOpenApiService(TOKEN);
  // With a keychain, so the token outlives a restart of the app.
  t = await startTestCore({ tools: true, vault: testVault });
});
afterAll(async () => {
  await t.dispose();
  await home.close();
  await elsewhere.close();
});

const movedTo = (url: string) => spec.replace('servers: [{ url: /api }]', `servers: [{ url: '${url}/api' }]`);
const server = async (id: string) => (ok(await t.core.invoke('tools.servers', {})) as MethodOutput<'tools.servers'>).servers.find((s) => s.id === id)!;

async function callTool(tool: string) {
  t.provider.requests.length = 0;
  t.provider.enqueue({ kind: 'stream', steps: [{ toolCall: { id: `c_${tool}`, name: tool, arguments: '{"id":5}' } }] }, textReply('Done.'));
  const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
  const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'item 5', approval: 'auto' })) as MethodOutput<'chat.send'>;
  const events = await collectRun(t.core, started.runId);
  return {
    result: events.find((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result'),
    sentToModel: JSON.stringify(t.provider.requests.map((r) => r.body)),
  };
}

describe('the origin of an OpenAPI service', () => {
  it('is shown before the user confirms, and pinned by the confirmation', async () => {
    const added = ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'inventory', openapi: `${home.url}/openapi.yaml`, auth: { type: 'bearer', token: TOKEN } }],
      }),
    ) as MethodOutput<'tools.servers'>;
    expect(added.servers.find((s) => s.id === 'inventory')).toMatchObject({
      confirmed: false,
      status: 'stopped',
      callOrigin: { pinned: home.url, changedTo: null },
    });
    ok(await confirmServer(t.core, 'inventory', true, home.url));
    expect(await server('inventory')).toMatchObject({ status: 'ready', callOrigin: { pinned: home.url, changedTo: null } });
    expect(JSON.parse(await t.file('preferences.json')).toolServers[0]).toMatchObject({ id: 'inventory', origin: home.url, confirmed: true });

    const { result } = await callTool('inventory__getItem');
    expect(result).toMatchObject({ isError: false, output: { id: 5, name: 'widget' } });
    expect(home.requests.at(-1)).toMatchObject({ url: '/api/items/5', authorization: `Bearer ${TOKEN}` });
  });

  it('gets nothing at an origin its refreshed description names, until the user confirms that one', async () => {
    home.describe(movedTo(elsewhere.url));
    // A restart reads the description afresh, as the daily refresh does.
    ok(await t.core.invoke('tools.restartServer', { id: 'inventory' }));
    const waiting = await server('inventory');
    expect(waiting).toMatchObject({ status: 'needs-confirmation', callOrigin: { pinned: home.url, changedTo: elsewhere.url } });
    expect(waiting.error).toContain(`needs confirmation: the origin its calls go to changed from ${home.url} to ${elsewhere.url}`);

    const { tools } = ok(await t.core.invoke('tools.list', { servers: ['inventory'] })) as MethodOutput<'tools.list'>;
    expect(tools).toEqual([]);
    const { result } = await callTool('inventory__getItem');
    expect(result).toMatchObject({ isError: true });
    // Still so when the app starts again the next day, from the cached description.
    await t.reopen();
    ok(await t.core.invoke('tools.list', { servers: ['inventory'] }));
    expect(await server('inventory')).toMatchObject({ status: 'needs-confirmation', callOrigin: { changedTo: elsewhere.url } });
    expect(elsewhere.requests).toEqual([]);

    // A confirmation of what the card showed before the change is not one of the new origin.
    const stale = await confirmServer(t.core, 'inventory', true, home.url);
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`would now go to ${elsewhere.url}`) } });
    expect(elsewhere.requests).toEqual([]);

    ok(await confirmServer(t.core, 'inventory', true, elsewhere.url));
    expect(await server('inventory')).toMatchObject({ status: 'ready', callOrigin: { pinned: elsewhere.url, changedTo: null } });
    expect((await callTool('inventory__getItem')).result).toMatchObject({ isError: false });
    expect(elsewhere.requests.at(-1)).toMatchObject({ url: '/api/items/5', authorization: `Bearer ${TOKEN}` });
    home.describe(spec);
  });

  it('is confirmed once known when the description could not be read as the service was added', async () => {
    home.describe('not: [an, openapi');
    const added = ok(
      await t.core.invoke('tools.addServers', { servers: [{ label: 'later', openapi: `${home.url}/openapi.yaml`, auth: { type: 'bearer', token: TOKEN } }] }),
    ) as MethodOutput<'tools.servers'>;
    expect(added.servers.find((s) => s.id === 'later')).toMatchObject({ callOrigin: { pinned: null, changedTo: null } });
    home.describe(spec);
    home.requests.length = 0;
    ok(await confirmServer(t.core, 'later', true));
    const waiting = await server('later');
    expect(waiting).toMatchObject({ status: 'needs-confirmation', callOrigin: { pinned: null, changedTo: home.url } });
    expect(waiting.error).toContain(`its calls would go to ${home.url}, which you have not confirmed`);
    expect(home.requests.filter((r) => r.authorization !== null)).toEqual([]);
    ok(await confirmServer(t.core, 'later', true, home.url));
    expect(await server('later')).toMatchObject({ status: 'ready', callOrigin: { pinned: home.url } });
  });

  it('has the credentials it echoes back masked', async () => {
    const wrong = 'wrong-token-abcdef12';
    ok(
      await t.core.invoke('tools.addServers', { servers: [{ label: 'echoing', openapi: `${home.url}/openapi.yaml`, auth: { type: 'bearer', token: wrong } }] }),
    );
    ok(await confirmServer(t.core, 'echoing', true, home.url));
    const { result, sentToModel } = await callTool('echoing__getItem');
    expect(home.requests.at(-1)?.authorization).toBe(`Bearer ${wrong}`);
    expect(result).toMatchObject({ isError: true });
    expect(JSON.stringify(result?.output)).toContain('Bearer ••••');
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(sentToModel).toContain('Bearer ••••');
    expect(sentToModel).not.toContain(wrong);
  });
});
