import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { OAuthSettings } from '../../settings/tool-servers.js';

/*
 * What the registry needs of a source of tools, whatever speaks for it: an MCP server (a command over stdio, the
 * built-in tools among them, or a remote server over HTTP) or an OpenAPI service. Each source is started from a
 * configuration with its secrets filled in (see secrets/server-secrets.ts), and holds them only while it runs.
 */

/** `needs-confirmation`: an OpenAPI service whose calls would now go to an origin the user has not confirmed. */
export type SourceStatus = 'stopped' | 'connecting' | 'ready' | 'failed' | 'needs-sign-in' | 'needs-confirmation';

export interface ToolSource {
  readonly status: SourceStatus;
  /** Remote MCP servers that sign in with OAuth: the sign-in under way, if any. */
  readonly oauth?: SignInState | null;
  /**
   * OpenAPI services: the origin their calls would now go to, when it is not the one the user confirmed; null for
   * every other source. Required, so a wrapper (lazy loading, scrubbing) cannot silently drop it.
   */
  readonly originChange: OriginChange | null;
  /** Called when the source's tool list changed, its connection dropped or a sign-in finished. */
  onChange: (() => void) | null;
  /** `refresh`: read the source afresh rather than from a cache (an OpenAPI description). */
  start(refresh?: boolean): Promise<void>;
  tools(): Promise<McpTool[]>;
  call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome>;
  prompts(): Promise<McpPrompt[]>;
  getPrompt(name: string, args: Record<string, string>): Promise<string>;
  resources(): Promise<McpResource[]>;
  readResource(uri: string): Promise<{ text: string; mimeType: string | null }>;
  close(): Promise<void>;
}

export interface OriginChange {
  /** The origin the user confirmed; null when none was known when the service was added. */
  from: string | null;
  to: string;
}

export interface SignInState {
  /** The page the user must open to sign in, while a sign-in waits. */
  readonly signInUrl: string | null;
  readonly signedIn: boolean;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

export interface McpPrompt {
  name: string;
  description: string;
  arguments: { name: string; description: string; required: boolean }[];
}

export interface McpResource {
  uri: string;
  name: string;
  description: string;
  mimeType: string | null;
}

export interface ToolCallOutcome {
  isError: boolean;
  /** Text the model reads back. */
  text: string;
  structured: unknown;
  /** The HTTP status of an OpenAPI call; null for MCP tools. */
  httpStatus: number | null;
}

/** How a source is started: one configuration per kind, secrets included. */
export type ServerConfig = StdioServerConfig | HttpServerConfig | OpenApiServerConfig;

export interface StdioServerConfig {
  /** Short id, used to namespace its tools for the model. */
  id: string;
  label: string;
  transport?: 'stdio';
  command: string;
  args: string[];
  /** Extra environment the user granted; the rest is a scrubbed default (no provider keys). */
  env?: Record<string, string>;
  cwd?: string;
  /** Longest a call to this server may take; the registry's default otherwise. */
  timeoutMs?: number | undefined;
  /** Set when a saved secret cannot be read here: the source refuses to start, with this reason. */
  unreadableSecrets?: string | undefined;
  /**
   * Started by the host instead of spawned (the built-in server in the desktop app: a utility process), with the
   * environment a spawned server would get (the MCP SDK's default list, read by the source when it starts).
   */
  launch?: ((env: Record<string, string>) => LaunchedServer) | undefined;
}

/** A server the host started: MCP messages over `transport`, and its stderr for the "last output" shown on failure. */
export interface LaunchedServer {
  transport: Transport;
  stderr: NodeJS.ReadableStream | null;
}

export interface HttpServerConfig {
  id: string;
  label: string;
  transport: 'http';
  /** The server's MCP endpoint (Streamable HTTP; servers that only speak the older SSE transport work too). */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number | undefined;
  /** For servers that ask for OAuth: a pre-registered client (with its secret or private key), scopes, a fixed callback port. */
  oauth?: (OAuthSettings & { clientSecret?: string | undefined; privateKey?: string | undefined }) | undefined;
  unreadableSecrets?: string | undefined;
}

export interface OpenApiServerConfig {
  id: string;
  label: string;
  transport: 'openapi';
  /** Where the description is (fetched, then cached for a day), or its text. */
  specUrl?: string | undefined;
  specText?: string | undefined;
  /** Overrides the description's first server. */
  baseUrl?: string | undefined;
  /**
   * The origin the user confirmed that calls (and their credentials) go to. When the description names another
   * (it changed, or none was known), the service sends nothing and waits for the user to confirm the new one.
   */
  origin: string | null;
  auth?: OpenApiAuth | undefined;
  timeoutMs?: number | undefined;
  unreadableSecrets?: string | undefined;
}

export type OpenApiAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'basic'; username: string; password: string };
