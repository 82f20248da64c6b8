import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinServerConfig } from './builtin-config.js';
import { ToolRegistry } from './tool-registry.js';

// The real bundled tool server over stdio, through the real MCP client.
let registry: ToolRegistry;
beforeAll(async () => {
  registry = new ToolRegistry([builtinServerConfig()], { maxModelChars: 200 });
});
afterAll(async () => {
  await registry.close();
});

const signal = () => new AbortController().signal;

describe('tools from the bundled MCP server', () => {
  it('lists the built-in tools as definitions the model can call, marked read-only', async () => {
    const { tools, definitions } = await registry.definitions(['coda']);
    expect(definitions.map((d) => d.name)).toEqual(expect.arrayContaining(['coda__evaluate_math', 'coda__convert_units']));
    expect(tools.every((t) => t.readOnly)).toBe(true);
    expect(definitions.find((d) => d.name === 'coda__convert_units')?.parameters).toMatchObject({ type: 'object', required: ['value', 'from', 'to'] });
  });

  it('calls a tool and returns its structured answer', async () => {
    const call = await registry.execute('coda__evaluate_math', '{"expression":"12 inch to cm"}', signal());
    expect(call.isError).toBe(false);
    expect(call.output).toMatchObject({ unit: 'cm' });
    expect((call.output as { value: number }).value).toBeCloseTo(30.48, 9);
    expect(call.evaluation).toMatchObject({ schemaValid: true, problems: [], truncated: false });
  });

  it('turns invalid arguments, unknown tools and tool errors into results the model can act on', async () => {
    const invalid = await registry.execute('coda__convert_units', '{"value":"five","from":"km"}', signal());
    expect(invalid).toMatchObject({ isError: true, evaluation: { schemaValid: false } });
    expect(invalid.modelText).toMatch(/Invalid arguments for coda__convert_units/);

    const unknown = await registry.execute('coda__launch_rocket', '{}', signal());
    expect(unknown.modelText).toContain('There is no tool named coda__launch_rocket');

    const notJson = await registry.execute('coda__evaluate_math', '{expression: 1+', signal());
    expect(notJson.modelText).toContain('not valid JSON');

    const failed = await registry.execute('coda__convert_units', '{"value":1,"from":"kg","to":"m"}', signal());
    expect(failed).toMatchObject({ isError: true, evaluation: { schemaValid: true, problems: ['the tool reported an error'] } });
    expect(failed.modelText).toContain('Cannot convert 1 kg to m');
  });

  it('caps a huge output for the model and says so, keeping the whole output', async () => {
    const call = await registry.execute('coda__evaluate_math', '{"expression":"ones(60, 60)"}', signal());
    expect(call.evaluation.truncated).toBe(true);
    expect(call.modelText).toMatch(/\[Output truncated: [\d,]+ characters in all; the first 200 are shown\.\]$/);
    expect(JSON.stringify(call.output).length).toBeGreaterThan(200);
  });
});
