import { createScrubber } from '../secrets/scrubber.js';
import { secretValuesOf } from '../secrets/secret-values.js';
import { LazySource } from './lazy-source.js';
import { ScrubbingSource, scrubbingServices } from './scrubbing-source.js';
import type { ServerConfig, ToolSource } from './source.js';
import type { ConnectionServices } from './services.js';

/**
 * The source that speaks for a configured server: an MCP connection (stdio or HTTP) or an OpenAPI service, whose
 * module loads when the server first starts (see lazy-source.ts), behind the decorator that keeps the server's
 * secret values out of everything it sends back.
 */
export function createSource(config: ServerConfig, services: ConnectionServices, cacheDir: string): ToolSource {
  // Read on each use: a sign-in writes new tokens to the record while the source runs.
  const scrubber = () => createScrubber(secretValuesOf(config, services.secrets.read(config.id)));
  const inner = new LazySource(async () =>
    config.transport === 'openapi'
      ? new (await import('./openapi/openapi-source.js')).OpenApiSource(config, cacheDir)
      : new (await import('./mcp/mcp-connection.js')).McpConnection(config, scrubbingServices(services, scrubber)),
  );
  return new ScrubbingSource(inner, scrubber);
}
