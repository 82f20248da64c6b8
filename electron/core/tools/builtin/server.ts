import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { APP_VERSION } from '../../version.js';
import { calculateDate } from './date-tools.js';
import { solveAssignment, solveLinearProgram } from './lp-tools.js';
import { MathSandbox } from './math-sandbox.js';
import { MAX_ELEMENTS, MAX_RESULT_ELEMENTS } from './math-limits.js';
import { correlation, describeColumn, groupBy, linearRegression, readTable } from './stats-tools.js';

const MathOutput = { result: z.string(), value: z.number().nullable(), unit: z.string().nullable() };

/** Wraps a solver so its failure becomes an MCP tool error the model can read, never a crashed server. */
async function answer<T extends object>(solve: () => T | Promise<T>) {
  try {
    const structured = (await solve()) as Record<string, unknown>;
    return { content: [{ type: 'text' as const, text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    return { content: [{ type: 'text' as const, text: error instanceof Error ? error.message : String(error) }], isError: true };
  }
}

export interface CodaToolServerOptions {
  /** The module the math worker thread runs (main.ts, or the bundle built from it). */
  mathWorkerUrl: URL;
}

/**
 * Coda's built-in tools as an MCP server, so the agent uses them exactly like any other MCP server, and any other
 * MCP client can use them too (`node out/main/coda-tools.js` speaks MCP over stdio).
 */
export function createCodaToolServer(options: CodaToolServerOptions): McpServer {
  const server = new McpServer({ name: 'coda', version: APP_VERSION });
  // Math runs in a worker with its own memory and time limits, so no expression can take the server down. It
  // starts now, beside the server, so the first call does not wait for mathjs to load.
  const math = new MathSandbox({ workerUrl: options.mathWorkerUrl });
  math.warm();

  server.registerTool(
    'evaluate_math',
    {
      title: 'Evaluate a math expression',
      description: `Evaluates a mathematical expression exactly: arithmetic, functions (sqrt, log, sin…), matrices ([1,2;3,4], det, inv) and quantities with units ("5 km + 300 m to m"). Use it instead of doing arithmetic in your head. Matrices may have up to ${MAX_ELEMENTS.toLocaleString('en')} elements; a result of more than ${MAX_RESULT_ELEMENTS.toLocaleString('en')} is refused (ask for a summary: size, sum, max).`,
      inputSchema: { expression: z.string().min(1).max(2000).describe('The expression, in mathjs syntax') },
      outputSchema: MathOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ expression }) => answer(async () => ({ ...(await math.evaluate(expression)) })),
  );

  server.registerTool(
    'convert_units',
    {
      title: 'Convert units',
      description: 'Converts a quantity from one unit to another (length, mass, time, temperature, speed, energy, data sizes…).',
      inputSchema: {
        value: z.number().describe('The amount to convert'),
        from: z.string().min(1).max(50).describe('Unit of the amount, e.g. "mile", "degC", "kWh"'),
        to: z.string().min(1).max(50).describe('Unit wanted, e.g. "km", "degF", "J"'),
      },
      outputSchema: { ...MathOutput, from: z.string(), to: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ value, from, to }) => answer(async () => ({ ...(await math.convert(value, from, to)), from, to })),
  );

  const Variables = z.record(z.string(), z.number());
  server.registerTool(
    'solve_linear_program',
    {
      title: 'Solve a linear or mixed-integer program',
      description:
        'Optimizes a linear objective under linear constraints with the HiGHS solver (LP and MILP: production planning, blending, scheduling, knapsack…). Variables are ≥ 0 unless bounds say otherwise; list whole-number variables in integers and yes/no ones in binaries. Infeasible and unbounded problems are reported in status.',
      inputSchema: {
        sense: z.enum(['maximize', 'minimize']),
        objective: Variables.describe('Coefficient of each variable in the objective'),
        constraints: z
          .array(z.object({ name: z.string().max(100).optional(), coefficients: Variables, operator: z.enum(['<=', '>=', '=']), rhs: z.number() }))
          .max(5000),
        bounds: z
          .record(z.string(), z.object({ lower: z.number().nullable().optional(), upper: z.number().nullable().optional() }))
          .optional()
          .describe('null lower bound = no lower bound'),
        integers: z.array(z.string()).optional(),
        binaries: z.array(z.string()).optional(),
      },
      outputSchema: {
        status: z.string(),
        solverStatus: z.string(),
        objectiveValue: z.number().nullable(),
        variables: Variables,
        constraints: Variables,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (problem) => answer(() => solveLinearProgram(problem)),
  );

  server.registerTool(
    'solve_assignment',
    {
      title: 'Assign workers to tasks',
      description:
        'Finds the cheapest (or, with maximize, most valuable) assignment of workers to tasks from a cost matrix: rows are workers, columns tasks; each task gets exactly one worker, each worker at most one task.',
      inputSchema: {
        costs: z.array(z.array(z.number())).min(1).max(200),
        workers: z.array(z.string()).optional(),
        tasks: z.array(z.string()).optional(),
        maximize: z.boolean().optional(),
      },
      outputSchema: {
        status: z.string(),
        total: z.number().nullable(),
        assignments: z.array(z.object({ worker: z.string(), task: z.string(), cost: z.number() })),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) => answer(() => solveAssignment(input)),
  );

  server.registerTool(
    'analyze_table',
    {
      title: 'Statistics over a table',
      description:
        'Statistics over a table given as CSV text (header row first) or JSON rows: describe a column (count, mean, median, spread, quartiles), aggregate a column by group, the correlation of two columns, or a linear regression of y on x.',
      inputSchema: {
        data: z.string().max(5_000_000).describe('CSV with a header row, or a JSON array of row objects'),
        operation: z.enum(['describe', 'group_by', 'correlation', 'regression']),
        column: z.string().optional().describe('describe and group_by: the numeric column'),
        by: z.string().optional().describe('group_by: the column to group on'),
        aggregate: z.enum(['sum', 'mean', 'median', 'min', 'max', 'count']).optional(),
        x: z.string().optional(),
        y: z.string().optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ data, operation, column, by, aggregate, x, y }) =>
      answer(() => {
        const rows = readTable(data);
        const need = (value: string | undefined, name: string) => {
          if (!value) throw new Error(`"${operation}" needs "${name}".`);
          return value;
        };
        switch (operation) {
          case 'describe':
            return describeColumn(rows, need(column, 'column'));
          case 'group_by':
            return groupBy(rows, need(by, 'by'), need(column, 'column'), aggregate ?? 'sum');
          case 'correlation':
            return correlation(rows, need(x, 'x'), need(y, 'y'));
          case 'regression':
            return linearRegression(rows, need(x, 'x'), need(y, 'y'));
        }
      }),
  );

  server.registerTool(
    'calculate_date',
    {
      title: 'Date arithmetic',
      description:
        'Adds a duration to a date (month ends and leap years handled), counts calendar and business days between two dates, or names the weekday and ISO week of a date. Dates in ISO form: 2026-03-14 or 2026-03-14T09:30.',
      inputSchema: {
        operation: z.enum(['add', 'difference', 'weekday']),
        date: z.string().max(40),
        amount: z.number().optional().describe('add: how many units (negative to go back)'),
        unit: z.enum(['minutes', 'hours', 'days', 'weeks', 'months', 'years']).optional(),
        to: z.string().max(40).optional().describe('difference: the second date'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) => answer(() => calculateDate(input)),
  );

  return server;
}
