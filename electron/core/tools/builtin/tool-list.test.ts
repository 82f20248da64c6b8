import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_SERVER_ID, builtinServerConfig } from '../builtin-config.js';
import type { McpTool } from '../sources/source.js';
import type { KnownToolLists } from '../known-tools.js';
import { ToolRegistry } from '../tool-registry.js';
import { listBuiltinTools, TOOL_LIST_FILE } from './tool-list.js';

const signal = () => new AbortController().signal;
let registry: ToolRegistry | null = null;
afterEach(async () => {
  await registry?.close();
  registry = null;
});

describe('the built-in tool list shipped with the build', () => {
  it('is exactly what the built-in server lists (run "npm run build" after changing a tool)', async () => {
    const shipped = JSON.parse(await readFile(TOOL_LIST_FILE, 'utf8')) as McpTool[];
    expect(shipped).toEqual(await listBuiltinTools());
  });

  it('is offered to the model without starting the server, and the first call starts it', async () => {
    const shipped = JSON.parse(await readFile(TOOL_LIST_FILE, 'utf8')) as McpTool[];
    registry = new ToolRegistry(() => [builtinServerConfig()], { knownTools: fromBuild((id) => (id === BUILTIN_SERVER_ID ? shipped : null)) });
    const { definitions, unavailable } = await registry.definitions(['*']);
    expect(definitions.map((d) => d.name)).toEqual(shipped.map((t) => `coda__${t.name}`));
    expect(unavailable).toEqual([]);
    expect(registry.status(BUILTIN_SERVER_ID).status).toBe('stopped');

    const call = await registry.execute('coda__convert_units', '{"value":1,"from":"mile","to":"km"}', signal());
    expect(call.isError).toBe(false);
    expect((call.output as { value: number }).value).toBeCloseTo(1.609344, 6);
    expect(registry.status(BUILTIN_SERVER_ID).status).toBe('ready');
  });

  it("still checks arguments against the live server's schema once the server runs", async () => {
    // A known list that disagrees with the server: the call is judged by what the started server lists.
    const outdated: McpTool[] = [
      {
        name: 'convert_units',
        description: 'old',
        inputSchema: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
        readOnly: true,
      },
    ];
    registry = new ToolRegistry(() => [builtinServerConfig()], { knownTools: fromBuild(() => outdated) });
    await registry.definitions(['*']);
    const call = await registry.execute('coda__convert_units', '{"amount":1}', signal());
    expect(call.isError).toBe(true);
    expect(call.modelText).toContain('Invalid arguments for coda__convert_units');
    expect(call.modelText).toContain("must have required property 'value'");
  });

  it('says why a call fails when the server cannot start', async () => {
    const shipped = JSON.parse(await readFile(TOOL_LIST_FILE, 'utf8')) as McpTool[];
    registry = new ToolRegistry(() => [{ id: BUILTIN_SERVER_ID, label: 'Coda tools', command: '/nonexistent/coda-tools', args: [] }], {
      knownTools: fromBuild(() => shipped),
    });
    await registry.definitions(['*']);
    const call = await registry.execute('coda__convert_units', '{"value":1,"from":"mile","to":"km"}', signal());
    expect(call.isError).toBe(true);
    expect(call.modelText).not.toBe('');
    expect(call.evaluation.problems).toEqual([{ kind: 'call-failed' }]);
  });
});

/** Lists known from the build, as core gives the built-in one: offered, the server started by the first call. */
function fromBuild(list: (serverId: string) => McpTool[] | null): KnownToolLists {
  return {
    known: (config) => {
      const tools = list(config.id);
      return tools && { tools, start: 'on-call' };
    },
    listed: () => undefined,
    forget: () => undefined,
  };
}
