import { afterAll, afterEach, beforeAll } from 'vitest';
import { startMcpHttpService } from '../fixtures/mcp-http-service.js';
import { startOpenApiService } from '../fixtures/openapi-service.js';
import { ScriptedProviderServer } from '../provider-server/server.js';
import { startTestCore, type TestCore } from './core.js';

type CoreOptions = NonNullable<Parameters<typeof startTestCore>[0]>;

export interface ToolServices {
  /** An MCP server over HTTP that records each request's Authorization header and address. */
  mcp: Awaited<ReturnType<typeof startMcpHttpService>>;
  /** An OpenAPI service that answers 401 to any token but the one given. */
  service: Awaited<ReturnType<typeof startOpenApiService>>;
  provider: ScriptedProviderServer;
  /** A core with tools on, on a data folder of its own, closed after the test. */
  setup(options?: Omit<CoreOptions, 'provider' | 'tools'>): Promise<TestCore>;
}

/**
 * For a test file about tool servers' secrets: the servers that show what arrived, started once for the file,
 * and cores started per test. The fields are filled in before the file's first test runs.
 */
export function useToolServices(apiToken: string): ToolServices {
  const started: TestCore[] = [];
  const services = {
    async setup(options = {}) {
      const handle = await startTestCore({ ...options, provider: services.provider, tools: true });
      started.push(handle);
      return handle;
    },
  } as ToolServices;
  beforeAll(async () => {
    services.mcp = await startMcpHttpService();
    services.service = await startOpenApiService(apiToken);
    services.provider = await new ScriptedProviderServer().listen();
  });
  afterEach(async () => {
    while (started.length) await started.pop()?.dispose();
  });
  afterAll(async () => {
    await services.mcp.close();
    await services.service.close();
    await services.provider.close();
  });
  return services;
}
