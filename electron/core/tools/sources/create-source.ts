import { McpConnection } from './mcp/mcp-connection.js';
import { OpenApiSource } from './openapi/openapi-source.js';
import type { ServerConfig, ToolSource } from './source.js';
import type { ConnectionServices } from './services.js';

/** The source that speaks for a configured server: an MCP connection (stdio or HTTP) or an OpenAPI service. */
export function createSource(config: ServerConfig, services: ConnectionServices, cacheDir: string): ToolSource {
  return config.transport === 'openapi' ? new OpenApiSource(config, cacheDir) : new McpConnection(config, services);
}
