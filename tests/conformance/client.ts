// The harness that lets `@modelcontextprotocol/conformance client --command ...` drive Coda's MCP client: the
// framework appends the test server's URL and names the scenario in MCP_CONFORMANCE_SCENARIO.
import { ToolSecrets } from '../../electron/core/settings/tool-secrets.js';
import { McpConnection } from '../../electron/core/tools/sources/mcp/mcp-connection.js';
import type { ElicitationAnswer } from '../../electron/core/tools/sources/services.js';

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

/** Scenario data: pre-registered client credentials (a secret, or a private key to sign JWTs with). */
const context = JSON.parse(process.env['MCP_CONFORMANCE_CONTEXT'] ?? '{}') as {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: 'ES256' | 'RS256';
};
const scenario = process.env['MCP_CONFORMANCE_SCENARIO'] ?? '';

/**
 * Plays the user's browser: the test authorization server approves at once and redirects to Coda's loopback
 * listener, which this request then delivers the code to, exactly as a browser following the redirect would.
 */
async function followSignIn(url: URL): Promise<void> {
  const approval = await fetch(url, { redirect: 'manual' });
  const location = approval.headers.get('location');
  if (!location) throw new Error(`The authorization server answered ${approval.status} without a redirect.`);
  await fetch(location);
}

/** Plays a user who accepts a server's form as prefilled: nothing typed, so Coda fills in the schema's defaults. */
async function acceptPrefilled(): Promise<ElicitationAnswer> {
  return { action: 'accept', content: {} };
}

// Where the sign-in keeps its tokens; the client's secret or key come with its settings, as core gives them.
const secrets = ToolSecrets.inMemory();
// The suite's machine-to-machine scenarios: Coda used as a service, as a user configures it under OAuth options.
const asService = scenario.startsWith('auth/client-credentials');
const connection = new McpConnection(
  {
    id: 'conformance',
    label: 'conformance server',
    transport: 'http',
    url,
    oauth: {
      clientId: context.client_id,
      clientSecret: context.client_secret,
      privateKey: context.private_key_pem,
      // The suite's stand-in for a client ID metadata document Coda would publish (SEP-991).
      clientMetadataUrl: scenario === 'auth/basic-cimd' ? 'https://conformance-test.local/client-metadata.json' : undefined,
      ...(asService ? { grant: 'client_credentials' as const, jwtAlgorithm: context.signing_algorithm } : {}),
    },
  },
  { secrets, signIn: { openSignIn: followSignIn, waitMs: 15_000 }, elicit: acceptPrefilled },
);
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
