import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinServerConfig } from './builtin-config.js';
import { ToolRegistry } from './tool-registry.js';

// The real bundled tool server over stdio, through the real MCP client.
let registry: ToolRegistry;
beforeAll(async () => {
  registry = new ToolRegistry(() => [builtinServerConfig()], { maxModelChars: 200 });
});
afterAll(async () => {
  await registry.close();
});

const signal = () => new AbortController().signal;

describe('tools from the bundled MCP server', () => {
  it('lists the built-in tools as definitions the model can call, marked read-only', async () => {
    const { tools, definitions } = await registry.definitions(['coda']);
    expect(definitions.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'coda__evaluate_math',
        'coda__convert_units',
        'coda__solve_linear_program',
        'coda__solve_assignment',
        'coda__analyze_table',
        'coda__calculate_date',
      ]),
    );
    expect(tools.every((t) => t.readOnly)).toBe(true);
    expect(definitions.find((d) => d.name === 'coda__convert_units')?.parameters).toMatchObject({ type: 'object', required: ['value', 'from', 'to'] });
  });

  it('calls a tool and returns its structured answer', async () => {
    const call = await registry.execute('coda__evaluate_math', '{"expression":"12 inch to cm"}', signal());
    expect(call.isError).toBe(false);
    expect(call.output).toMatchObject({ unit: 'cm' });
    expect((call.output as { value: number }).value).toBeCloseTo(30.48, 9);
    expect(call.evaluation).toMatchObject({ arguments: 'valid', problems: [], httpStatus: null });
  });

  it('solves an integer program through MCP, and reports an infeasible one as a result', async () => {
    const optimal = await registry.execute(
      'coda__solve_linear_program',
      JSON.stringify({
        sense: 'maximize',
        objective: { chairs: 30, tables: 50 },
        constraints: [
          { coefficients: { chairs: 1, tables: 2 }, operator: '<=', rhs: 40 },
          { coefficients: { chairs: 2, tables: 1 }, operator: '<=', rhs: 50 },
        ],
        integers: ['chairs', 'tables'],
      }),
      signal(),
    );
    expect(optimal.output).toMatchObject({ status: 'optimal', objectiveValue: 1100, variables: { chairs: 20, tables: 10 } });
    const infeasible = await registry.execute(
      'coda__solve_linear_program',
      JSON.stringify({ sense: 'minimize', objective: { x: 1 }, constraints: [{ coefficients: { x: 1 }, operator: '<=', rhs: -1 }] }),
      signal(),
    );
    expect(infeasible).toMatchObject({ isError: false, output: { status: 'infeasible', objectiveValue: null } });
  });

  it('answers statistics and date questions through MCP', async () => {
    const stats = await registry.execute(
      'coda__analyze_table',
      JSON.stringify({ data: 'x,y\n1,3\n2,5\n3,7', operation: 'regression', x: 'x', y: 'y' }),
      signal(),
    );
    expect(stats.output).toMatchObject({ slope: 2, intercept: 1 });
    const date = await registry.execute('coda__calculate_date', JSON.stringify({ operation: 'difference', date: '2026-11-20', to: '2026-12-04' }), signal());
    expect(date.output).toMatchObject({ days: 14, businessDays: 10 });
    const missing = await registry.execute('coda__analyze_table', JSON.stringify({ data: 'x\n1', operation: 'describe' }), signal());
    expect(missing).toMatchObject({ isError: true, modelText: '"describe" needs "column".' });
  });

  it('turns invalid arguments, unknown tools and tool errors into results the model can act on', async () => {
    const invalid = await registry.execute('coda__convert_units', '{"value":"five","from":"km"}', signal());
    expect(invalid).toMatchObject({ isError: true, evaluation: { arguments: 'invalid' } });
    expect(invalid.modelText).toMatch(/Invalid arguments for coda__convert_units/);

    const unknown = await registry.execute('coda__launch_rocket', '{}', signal());
    expect(unknown.modelText).toContain('There is no tool named coda__launch_rocket');

    const notJson = await registry.execute('coda__evaluate_math', '{expression: 1+', signal());
    expect(notJson.modelText).toContain('not valid JSON');

    const failed = await registry.execute('coda__convert_units', '{"value":1,"from":"kg","to":"m"}', signal());
    expect(failed).toMatchObject({ isError: true, evaluation: { arguments: 'valid', problems: [{ kind: 'tool-error' }] } });
    expect(failed.modelText).toContain('Cannot convert 1 kg to m');
  });

  it('caps a huge output for the model and says so, keeping the whole output', async () => {
    const call = await registry.execute('coda__evaluate_math', '{"expression":"ones(60, 60)"}', signal());
    expect(call.evaluation.problems).toContainEqual(expect.objectContaining({ kind: 'truncated' }));
    expect(call.modelText).toMatch(/\[Output truncated: [\d,]+ characters in all; the first 200 are shown\.\]$/);
    expect(JSON.stringify(call.output).length).toBeGreaterThan(200);
  });
});
