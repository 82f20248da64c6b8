import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ToolSecrets } from '../../settings/tool-secrets.js';
import { builtinServerConfig } from '../builtin-config.js';
import { McpConnection } from '../sources/mcp/mcp-connection.js';
import type { McpTool } from '../sources/source.js';

/** Where the build keeps the built-in server's tool list, which core offers before the server has started. */
export const TOOL_LIST_FILE = fileURLToPath(new URL('./tool-list.json', import.meta.url));

/** The built-in server's tools as the agent sees them: started and listed through the same MCP connection the agent uses. */
export async function listBuiltinTools(): Promise<McpTool[]> {
  const connection = new McpConnection(builtinServerConfig(), { secrets: ToolSecrets.inMemory() });
  try {
    await connection.start();
    return await connection.tools();
  } finally {
    await connection.close();
  }
}

export async function writeBuiltinToolList(): Promise<void> {
  await writeFile(TOOL_LIST_FILE, `${JSON.stringify(await listBuiltinTools(), null, 2)}\n`);
}

// `npm run build` runs this file to write the list before bundling (its tools are fixed by the code, not by anything at run time).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeBuiltinToolList();
