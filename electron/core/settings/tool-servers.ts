/*
 * The tool servers the user added, as preferences keep them (`toolServers` in preferences.json). One type per kind
 * of server, and none of them has a field for a secret: header values, secret environment variables, keys in an
 * address, an OpenAPI service's token and an OAuth client's secret are in the key store (see tool-secrets.ts), and
 * preferences keep only their names.
 */

interface SavedServerBase {
  /** Short id from the label; it prefixes the server's tools for the model ("github__create_issue"). */
  id: string;
  label: string;
  /** Nothing starts before the user confirmed what it runs or calls. */
  confirmed: boolean;
  /** Read-only tools of a trusted server run without asking. */
  trusted: boolean;
  /** Longest one call may take; 60 s when unset. */
  timeoutMs?: number;
}

/** A program on this computer, spoken to over stdio. */
export interface SavedCommandServer extends SavedServerBase {
  transport: 'stdio';
  command: string;
  args: string[];
  /** The environment it gets besides a scrubbed default, but for the secret variables (see `isSecretEnvVariable`). */
  env: Record<string, string>;
  /** Variables whose values are in the key store. */
  secretEnvNames: string[];
}

/** An MCP server over Streamable HTTP (or the older SSE transport). */
export interface SavedHttpServer extends SavedServerBase {
  transport: 'http';
  /** The MCP endpoint, without the query parameters named in `secretQueryNames`. */
  url: string;
  /** Query parameters whose name looks secret (`api_key`, `token`); their values go back into the address when it is used. */
  secretQueryNames: string[];
  /** Headers sent with every request (an API token, say). */
  headerNames: string[];
  /** For servers that ask for OAuth: a client registered ahead, scopes, a fixed callback port. */
  oauth?: OAuthSettings;
}

/** An OpenAPI 3.0/3.1 service: each operation is a tool. */
export interface SavedOpenApiService extends SavedServerBase {
  transport: 'openapi';
  /** The description's address, without its secret query parameters (as for HTTP servers). */
  url: string;
  secretQueryNames: string[];
  /** The service address, when not the description's own. */
  baseUrl?: string;
  /**
   * The origin calls go to, and the credentials with them: resolved when the service is added (from `baseUrl` or
   * the description's first server), shown in the confirmation and pinned by it; null when the description could
   * not be read then. A description that later names another origin gets nothing until the user confirms that one.
   */
  origin: string | null;
  auth: ServiceAuth;
}

export type ToolServerConfig = SavedCommandServer | SavedHttpServer | SavedOpenApiService;

/** How an OpenAPI service signs its calls; the token, key value or password is in the key store. */
export type ServiceAuth =
  { type: 'none' } | { type: 'bearer' } | { type: 'apiKey'; in: 'header' | 'query'; name: string } | { type: 'basic'; username: string };

/** What the user may set for a server's OAuth; everything is optional (discovery and registration do the rest). */
export interface OAuthSettings {
  /** A client registered ahead with the authorization server (its secret is kept with the server's secrets). */
  clientId?: string | undefined;
  /** An HTTPS address of a client ID metadata document, used where the server supports them (SEP-991). */
  clientMetadataUrl?: string | undefined;
  /** Scopes to ask for when the server suggests none. */
  scope?: string | undefined;
  /** A fixed port for the sign-in answer, for clients registered with one redirect address. */
  callbackPort?: number | undefined;
  /**
   * `client_credentials`: Coda signs in as a service (machine to machine, no browser), with the client's secret or
   * a JWT signed with its private key (both kept with the server's secrets). The user's own sign-in otherwise.
   */
  grant?: 'authorization_code' | 'client_credentials' | undefined;
  /** The signing algorithm of the private key (RS256 when unset). */
  jwtAlgorithm?: 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA' | undefined;
}
