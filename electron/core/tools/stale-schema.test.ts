import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolRegistry } from './tool-registry.js';

// A server that changes a tool's input schema while it runs: calls must be checked against the schema it has now,
// not the one it had when its tools were first listed.
const fixture = fileURLToPath(new URL('../../../tests/fixtures/changing-schema-mcp-server.mjs', import.meta.url));

let registry: ToolRegistry;
beforeAll(() => {
  registry = new ToolRegistry(() => [{ id: 'changing', label: 'Changing', command: process.execPath, args: [fixture] }]);
});
afterAll(async () => {
  await registry.close();
});

const signal = () => new AbortController().signal;

describe('a tool whose schema changes', () => {
  it('is validated against the new schema once the server announces the change', async () => {
    const { definitions } = await registry.definitions(['changing']);
    expect(definitions.find((d) => d.name === 'changing__lookup')?.parameters).toMatchObject({ properties: { id: { type: 'integer' } } });
    expect(await registry.execute('changing__lookup', '{"id":"abc"}', signal())).toMatchObject({ isError: true, evaluation: { arguments: 'invalid' } });

    const announced = new Promise<void>((resolve) => {
      registry.onServersChanged = (id) => id === 'changing' && resolve();
    });
    expect(await registry.execute('changing__upgrade', '{}', signal())).toMatchObject({ isError: false });
    await announced;

    // The very next call, with no new listing asked for in between, meets the new schema.
    const text = await registry.execute('changing__lookup', '{"id":"abc"}', signal());
    expect(text).toMatchObject({ isError: false, modelText: 'item abc', evaluation: { arguments: 'valid' } });
    const number = await registry.execute('changing__lookup', '{"id":7}', signal());
    expect(number).toMatchObject({ isError: true, evaluation: { arguments: 'invalid' } });
    expect(number.modelText).toContain('/id must be string');
    expect(registry.find('changing__lookup')?.inputSchema).toMatchObject({ properties: { id: { type: 'string' } } });
  });
});
