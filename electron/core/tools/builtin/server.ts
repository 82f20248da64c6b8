import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { APP_VERSION } from '../../version.js';
import { convertUnits, evaluateExpression } from './math-tools.js';

const MathOutput = { result: z.string(), value: z.number().nullable(), unit: z.string().nullable() };

/** Wraps a solver so its failure becomes an MCP tool error the model can read, never a crashed server. */
function answer<T extends Record<string, unknown>>(solve: () => T) {
  try {
    const structured = solve();
    return { content: [{ type: 'text' as const, text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    return { content: [{ type: 'text' as const, text: error instanceof Error ? error.message : String(error) }], isError: true };
  }
}

/**
 * Coda's built-in tools as an MCP server, so the agent uses them exactly like any other MCP server, and any other
 * MCP client can use them too (`node out/main/coda-tools.js` speaks MCP over stdio).
 */
export function createCodaToolServer(): McpServer {
  const server = new McpServer({ name: 'coda', version: APP_VERSION });

  server.registerTool(
    'evaluate_math',
    {
      title: 'Evaluate a math expression',
      description:
        'Evaluates a mathematical expression exactly: arithmetic, functions (sqrt, log, sin…), matrices ([1,2;3,4], det, inv) and quantities with units ("5 km + 300 m to m"). Use it instead of doing arithmetic in your head.',
      inputSchema: { expression: z.string().min(1).max(2000).describe('The expression, in mathjs syntax') },
      outputSchema: MathOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ expression }) => answer(() => ({ ...evaluateExpression(expression) })),
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
    async ({ value, from, to }) => answer(() => ({ ...convertUnits(value, from, to) })),
  );

  return server;
}
