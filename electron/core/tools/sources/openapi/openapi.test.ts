import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, RunEvent } from '../../../../../shared/index.js';
import { startOpenApiService, spec } from '../../../../../tests/fixtures/openapi-service.js';
import { collectRun, confirmServer, ok, startTestCore, type TestCore } from '../../../../../tests/helpers/core.js';
import { textReply } from '../../../../../tests/provider-server/script.js';
import { OpenApiSource } from './openapi-source.js';

let service: Awaited<ReturnType<typeof startOpenApiService>>;
let t: TestCore;
beforeAll(async () => {
  service = await startOpenApiService('secret-token');
  t = await startTestCore({ tools: true });
});
afterAll(async () => {
  await t.dispose();
  await service.close();
});

const signal = () => new AbortController().signal;

describe('OpenAPI bridge', () => {
  it('turns each JSON operation into a tool with a schema from its parameters and body, and says what it skipped', async () => {
    const source = new OpenApiSource(
      {
        id: 'inv',
        label: 'Inventory',
        transport: 'openapi',
        specUrl: `${service.url}/openapi.yaml`,
        origin: service.url,
        auth: { type: 'bearer', token: 'secret-token' },
      },
      '',
    );
    await source.start();
    const tools = await source.tools();
    expect(tools.map((tool) => tool.name)).toEqual(['getItem', 'createItem', 'broken']);
    expect(tools[0]).toMatchObject({
      readOnly: true,
      inputSchema: { required: ['id'], properties: { id: { type: 'integer' }, verbose: { type: 'boolean' } } },
    });
    // $refs are resolved: the body schema is inline.
    expect(tools[1]!.inputSchema).toMatchObject({ required: ['body'], properties: { body: { required: ['name'], properties: { quantity: { minimum: 0 } } } } });
    expect(source.skipped).toEqual(['POST /upload: request bodies of type multipart/form-data are not supported (only JSON).']);

    const item = await source.call('getItem', { id: 7, verbose: true }, { signal: signal(), timeoutMs: 5_000 });
    expect(item).toMatchObject({ isError: false, structured: { id: 7, name: 'widget' }, httpStatus: 200 });
    expect(service.requests.at(-1)?.url).toBe('/api/items/7?verbose=true');
    const created = await source.call('createItem', { body: { name: 'bolt', quantity: 5 } }, { signal: signal(), timeoutMs: 5_000 });
    expect(created).toMatchObject({ isError: false, structured: { id: 99, name: 'bolt' } });
    const broken = await source.call('broken', {}, { signal: signal(), timeoutMs: 5_000 });
    expect(broken).toMatchObject({ isError: true, text: expect.stringContaining('HTTP 500'), httpStatus: 500 });
    expect(broken.text).toContain('database is down');
  });

  it('explains descriptions it cannot use', async () => {
    const swagger = new OpenApiSource({ id: 's', label: 'Old', transport: 'openapi', origin: null, specText: '{"swagger":"2.0","info":{},"paths":{}}' }, '');
    await expect(swagger.start()).rejects.toThrow(/Swagger 2.0 description; Coda reads OpenAPI 3.0 and 3.1/);
    const invalid = new OpenApiSource({ id: 'i', label: 'Broken', transport: 'openapi', origin: null, specText: 'openapi: 3.0.3\ninfo: {}\npaths: {}' }, '');
    await expect(invalid.start()).rejects.toThrow(/could not be read/);
    const serverless = new OpenApiSource(
      { id: 'n', label: 'Nowhere', transport: 'openapi', origin: null, specText: spec.replace('servers: [{ url: /api }]', '') },
      '',
    );
    await expect(serverless.start()).rejects.toThrow(/names no server; give the service address/);
  });

  it('lets the agent call an OpenAPI service, and carries on after its 500', async () => {
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'inventory', openapi: `${service.url}/openapi.yaml`, auth: { type: 'bearer', token: 'secret-token' } }],
      }),
    );
    const servers = ok(await confirmServer(t.core, 'inventory', true)) as MethodOutput<'tools.servers'>;
    expect(servers.servers.find((s) => s.id === 'inventory')).toMatchObject({ transport: 'openapi', status: 'ready', toolCount: 3 });
    expect(JSON.stringify(servers)).not.toContain('secret-token');

    t.provider.enqueue(
      {
        kind: 'stream',
        steps: [
          { toolCall: { id: 'a', name: 'inventory__getItem', arguments: '{"id":5}' } },
          { toolCall: { id: 'b', name: 'inventory__broken', arguments: '{}' } },
        ],
      },
      textReply('Item 5 is a widget; the other service is down.'),
    );
    const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
    const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: 'check item 5' })) as { runId: string };
    const events = await collectRun(t.core, started.runId);
    const results = events.filter((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result');
    expect(results.map((r) => r.isError).sort()).toEqual([false, true]);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { status: 'complete' } });
    // The evaluation keeps each call's HTTP status, and flags the error status as a problem.
    const messageId = (events.at(-1) as Extract<RunEvent, { type: 'done' }>).message.id;
    const trace = ok(await t.core.invoke('messages.agentTrace', { messageIds: [messageId] })) as MethodOutput<'messages.agentTrace'>;
    expect(trace.toolCalls.map((c) => c.evaluation)).toEqual([
      expect.objectContaining({ httpStatus: 200, problems: [] }),
      expect.objectContaining({ httpStatus: 500, problems: [{ kind: 'tool-error' }, { kind: 'http-status', status: 500 }] }),
    ]);
  });

  it('checks calls against the new description once the service is restarted', async () => {
    const callItem = async (id: string) => {
      t.provider.enqueue(
        { kind: 'stream', steps: [{ toolCall: { id: `c-${id}`, name: 'inventory__getItem', arguments: JSON.stringify({ id }) } }] },
        textReply('Done.'),
      );
      const session = ok(await t.core.invoke('sessions.create', {})) as { id: string };
      const started = ok(await t.core.invoke('chat.send', { sessionId: session.id, text: `item ${id}`, approval: 'auto' })) as { runId: string };
      return (await collectRun(t.core, started.runId)).find((e): e is Extract<RunEvent, { type: 'tool-result' }> => e.type === 'tool-result')!;
    };
    // Added by the test above, with ids as integers.
    expect(await callItem('sku-7')).toMatchObject({ isError: true, output: expect.stringContaining('Invalid arguments for inventory__getItem') });

    service.describe(
      spec.replace('{ name: id, in: path, required: true, schema: { type: integer } }', '{ name: id, in: path, required: true, schema: { type: string } }'),
    );
    try {
      ok(await t.core.invoke('tools.restartServer', { id: 'inventory' }));
      const result = await callItem('sku-7');
      expect(JSON.stringify(result.output)).not.toContain('Invalid arguments');
      expect(service.requests.at(-1)?.url).toBe('/api/items/sku-7');
    } finally {
      service.describe(spec);
    }
  });
});
