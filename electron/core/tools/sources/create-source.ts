import { LazySource } from './lazy-source.js';
import type { ServerConfig, ToolSource } from './source.js';
import type { ConnectionServices } from './services.js';

/**
 * The source that speaks for a configured server: an MCP connection (stdio or HTTP) or an OpenAPI service, whose
 * module loads when the server first starts (see lazy-source.ts).
 */
export function createSource(config: ServerConfig, services: ConnectionServices, cacheDir: string): ToolSource {
  return new LazySource(async () =>
    config.transport === 'openapi'
      ? new (await import('./openapi/openapi-source.js')).OpenApiSource(config, cacheDir)
      : new (await import('./mcp/mcp-connection.js')).McpConnection(config, services),
  );
}
