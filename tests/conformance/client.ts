// The harness that lets `@modelcontextprotocol/conformance client --command ...` drive Coda's MCP client: the
// framework appends the test server's URL and names the scenario in MCP_CONFORMANCE_SCENARIO.
import { McpConnection } from '../../electron/core/tools/mcp-connection.js';

const url = process.argv.at(-1);
if (!url?.startsWith('http')) {
  console.error('usage: client.ts <server-url>');
  process.exit(2);
}

/** Arguments that satisfy a tool's schema well enough for a conformance call: numbers 1, strings "test". */
function sampleArguments(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, { type?: string }>;
  return Object.fromEntries(
    Object.entries(properties).map(([name, prop]) => [name, prop.type === 'number' || prop.type === 'integer' ? 1 : prop.type === 'boolean' ? true : 'test']),
  );
}

const connection = new McpConnection({ id: 'conformance', label: 'conformance server', transport: 'http', url });
try {
  await connection.start();
  const tools = await connection.tools();
  for (const tool of tools) {
    const result = await connection.call(tool.name, sampleArguments(tool.inputSchema), { signal: AbortSignal.timeout(20_000), timeoutMs: 20_000 });
    console.error(`${tool.name}: ${result.isError ? 'error' : 'ok'} ${result.text.slice(0, 200)}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await connection.close();
}
