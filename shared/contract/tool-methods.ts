import { z } from 'zod';

/*
 * The tools part of the method table (spread into `methods`): tool listing, MCP prompts and resources, and the
 * user's tool servers with their secrets (only ever shown as hints), OAuth sign-in and approval rules.
 */

const Empty = z.object({}).strict();
const SecretHint = z.object({ saved: z.boolean(), last4: z.string().nullable() });
export type OAuthSettingsInput = z.infer<typeof OAuthSettingsInput>;
const OAuthSettingsInput = z
  .object({
    clientId: z.string().trim().min(1).max(500).optional(),
    clientSecret: z.string().min(1).max(10_000).optional(),
    clientMetadataUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
    scope: z.string().trim().min(1).max(2000).optional(),
    callbackPort: z.number().int().min(1024).max(65_535).optional(),
    /** `client_credentials`: Coda signs in as a service with the client's secret or a JWT signed with its private key. */
    grant: z.enum(['authorization_code', 'client_credentials']).optional(),
    privateKey: z.string().min(1).max(20_000).optional(),
    jwtAlgorithm: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']).optional(),
  })
  .strict()
  .refine((o) => o.grant !== 'client_credentials' || (o.clientId && (o.clientSecret || o.privateKey)), {
    message: 'Signing in as a service needs the client ID and its secret or private key.',
  });
const ToolPolicy = z.enum(['auto', 'ask', 'deny']);
const ToolServerStatus = z.object({
  id: z.string(),
  label: z.string(),
  builtin: z.boolean(),
  transport: z.enum(['stdio', 'http', 'openapi']),
  /**
   * HTTP servers: the endpoint; OpenAPI services: the description's address. Header values are not shown again, and
   * query parameters whose name looks secret (`api_key`, `token`…) show "••••" and at most the last 4 characters of
   * their value (listed in `secretQuery`).
   */
  url: z.string().nullable(),
  command: z.string(),
  args: z.array(z.string()),
  /**
   * Every variable the command gets, shown before confirming: the user decides what the server gets. Values whose
   * name looks secret (tokens, keys, passwords) are masked here ("••••" and at most the last 4 characters, or
   * "(not saved)"); they are in core's key store, listed in `secretEnv`.
   */
  env: z.record(z.string(), z.string()),
  /** stdio servers: the secret variables, each with whether it is saved and its last 4 characters (when it has at least 8). */
  secretEnv: z.array(z.object({ name: z.string(), saved: z.boolean(), last4: z.string().nullable() })),
  /**
   * HTTP servers: the headers sent, by name. Values stay in core's key store; like provider keys, only whether one
   * is saved and its last 4 characters (when it has at least 8) are shown.
   */
  headers: z.array(z.object({ name: z.string(), saved: z.boolean(), last4: z.string().nullable() })),
  /** Remote servers: the address's secret query parameters, by name, with the same hint as headers. */
  secretQuery: z.array(z.object({ name: z.string(), saved: z.boolean(), last4: z.string().nullable() })),
  /** OpenAPI services: how calls are signed, with the same hint in place of the token, key or password. */
  auth: z
    .object({
      type: z.enum(['none', 'bearer', 'apiKey', 'basic']),
      in: z.enum(['header', 'query']).nullable(),
      name: z.string().nullable(),
      username: z.string().nullable(),
      saved: z.boolean(),
      last4: z.string().nullable(),
    })
    .nullable(),
  /**
   * OpenAPI services: the origin their calls and credentials go to, as the confirmation shows and pins it (`pinned`;
   * null when the description could not be read when the service was added), and the other origin the description
   * names now (`changedTo`), to which nothing is sent until the user confirms it. Null for other servers.
   */
  callOrigin: z.object({ pinned: z.string().nullable(), changedTo: z.string().nullable() }).nullable(),
  confirmed: z.boolean(),
  trusted: z.boolean(),
  /**
   * A hash of what the confirmation shows (label, transport, command line, environment names and non-secret values,
   * address, credential names): `tools.confirmServer` must carry it, so a server changed after it was shown is not
   * started on the strength of what the user saw before.
   */
  fingerprint: z.string(),
  /** Longest one call may take, in seconds. */
  timeoutSeconds: z.number().positive(),
  /** `needs-confirmation`: an OpenAPI service whose calls would now go to an origin the user has not confirmed (see `callOrigin`). */
  status: z.enum(['stopped', 'connecting', 'ready', 'failed', 'needs-sign-in', 'needs-confirmation']),
  error: z.string().nullable(),
  /** HTTP servers with an OAuth client registered ahead: its ID, and hints for its secret and (as a service) private key. */
  oauthClient: z.object({ clientId: z.string(), asService: z.boolean(), secret: SecretHint.nullable(), privateKey: SecretHint.nullable() }).nullable(),
  /** A remote server that asked for OAuth: the page to open while a sign-in waits for the user. */
  signInUrl: z.string().nullable(),
  /** Remote servers: whether Coda holds tokens for it (null for servers that cannot sign in). */
  signedIn: z.boolean().nullable(),
  toolCount: z.number().int().nonnegative(),
});
const ToolServerList = z.object({
  servers: z.array(ToolServerStatus),
  /** False where secrets last only until Coda quits (serve mode, the CLI: no OS keychain); Settings says so. */
  secretsPersistent: z.boolean(),
});
/**
 * A label names a server in Settings and in the title of the native "start this server" dialog: one line, no control
 * or bidirectional-override characters that could make it read as something else.
 */
const ServerLabel = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((label) => !/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(label), {
    message: 'A label may not hold control characters or text-direction marks.',
  });
/** One new server, as the add-server form and an imported Claude Desktop config give it: the limits are the same for both. */
export const NewCommandServer = z.object({
  label: ServerLabel,
  command: z.string().trim().min(1).max(1000),
  args: z.array(z.string().max(4000)).max(100),
  env: z.record(z.string().max(200), z.string().max(10_000)),
});
export const NewHttpServer = z.object({
  label: ServerLabel,
  url: z.url({ protocol: /^https?$/ }).max(2000),
  headers: z.record(z.string().max(200), z.string().max(10_000)).optional(),
  /** Only for servers whose authorization server does not offer dynamic registration, or to pin scopes. */
  oauth: OAuthSettingsInput.optional(),
});
export const NewToolServer = z.union([
  NewCommandServer,
  NewHttpServer,
  /** An OpenAPI 3.0/3.1 service: each operation becomes a tool. */
  z.object({
    label: ServerLabel,
    openapi: z.url({ protocol: /^https?$/ }).max(2000),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    auth: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('none') }),
        z.object({ type: z.literal('bearer'), token: z.string().min(1).max(10_000) }),
        z.object({ type: z.literal('apiKey'), in: z.enum(['header', 'query']), name: z.string().min(1).max(200), value: z.string().min(1).max(10_000) }),
        z.object({ type: z.literal('basic'), username: z.string().max(1000), password: z.string().max(10_000) }),
      ])
      .optional(),
  }),
]);
export const toolMethods = {
  /** Tools the agent can use, from the built-in server and any configured MCP server. */
  'tools.list': {
    input: z.object({ servers: z.array(z.string().max(200)).max(100).optional() }).strict(),
    output: z.object({
      tools: z.array(z.object({ id: z.string(), server: z.string(), name: z.string(), description: z.string(), readOnly: z.boolean(), policy: ToolPolicy })),
    }),
  },
  /** Prompts the MCP servers offer, run from the composer as slash commands. */
  'tools.prompts': {
    input: Empty,
    output: z.object({
      prompts: z.array(
        z.object({
          id: z.string(),
          server: z.string(),
          name: z.string(),
          description: z.string(),
          arguments: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean() })),
        }),
      ),
    }),
  },
  'tools.getPrompt': {
    input: z
      .object({ server: z.string().min(1).max(100), name: z.string().min(1).max(200), arguments: z.record(z.string().max(200), z.string().max(100_000)) })
      .strict(),
    output: z.object({ text: z.string() }),
  },
  /** Resources the MCP servers offer, to attach to a message. */
  'tools.resources': {
    input: Empty,
    output: z.object({
      resources: z.array(z.object({ server: z.string(), uri: z.string(), name: z.string(), description: z.string(), mimeType: z.string().nullable() })),
    }),
  },
  /** The MCP servers: built-in and user-added, with their full command line, state and last output. */
  'tools.servers': { input: Empty, output: ToolServerList },
  /** Adds servers (typed in, or from a Claude Desktop config). They stay stopped until confirmed. */
  'tools.addServers': {
    input: z
      .object({
        servers: z.array(NewToolServer).max(50).optional(),
        claudeConfig: z.string().max(1_000_000).optional(),
      })
      .strict(),
    output: ToolServerList,
  },
  /** Forgets a remote server's OAuth tokens; it asks the user to sign in again on next use. */
  'tools.signOut': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  /**
   * The user has seen the server in full and agrees to start it; trusted servers' read-only tools run without asking.
   * `fingerprint` is the one listed with what the user saw: core refuses when the server is no longer that.
   * OpenAPI services: `origin` is the one the confirmation showed (`callOrigin.changedTo`, or else `callOrigin.pinned`);
   * it is pinned, and the confirmation is refused when calls would now go elsewhere. Confirming a changed origin of
   * a running service restarts it.
   */
  'tools.confirmServer': {
    input: z
      .object({ id: z.string().min(1).max(100), fingerprint: z.string().min(1).max(200), trusted: z.boolean(), origin: z.string().max(2000).optional() })
      .strict(),
    output: ToolServerList,
  },
  'tools.updateServer': {
    input: z.object({ id: z.string().min(1).max(100), timeoutSeconds: z.number().min(1).max(3600) }).strict(),
    output: ToolServerList,
  },
  /**
   * Replaces saved secrets of a server in place (a rotated or lost token) and restarts it: header values (HTTP),
   * secret query parameters of the address (HTTP, OpenAPI), secret environment variables (commands), the token, API
   * key or password (OpenAPI, in the field its auth uses).
   * Names must be ones the server already has. Values are never sent back.
   */
  'tools.updateSecrets': {
    input: z
      .object({
        id: z.string().min(1).max(100),
        headers: z.record(z.string().min(1).max(200), z.string().min(1).max(10_000)).optional(),
        env: z.record(z.string().min(1).max(200), z.string().min(1).max(10_000)).optional(),
        query: z.record(z.string().min(1).max(200), z.string().min(1).max(10_000)).optional(),
        auth: z
          .object({
            token: z.string().min(1).max(10_000).optional(),
            value: z.string().min(1).max(10_000).optional(),
            password: z.string().min(1).max(10_000).optional(),
          })
          .strict()
          .refine((a) => [a.token, a.value, a.password].filter((v) => v !== undefined).length === 1, {
            message: 'Give exactly one of token, value or password.',
          })
          .optional(),
        oauth: z
          .object({ clientSecret: z.string().min(1).max(10_000).optional(), privateKey: z.string().min(1).max(20_000).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine(
        (i) =>
          Object.keys(i.headers ?? {}).length +
            Object.keys(i.env ?? {}).length +
            Object.keys(i.query ?? {}).length +
            (i.auth ? 1 : 0) +
            Object.keys(i.oauth ?? {}).length >
          0,
        {
          message: 'Give at least one new value.',
        },
      ),
    output: ToolServerList,
  },
  'tools.removeServer': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  'tools.restartServer': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: ToolServerList },
  /** Sets (or, with null, resets to the default) whether a tool runs without asking, asks, or never runs. */
  'tools.setPolicy': {
    input: z.object({ toolId: z.string().min(1).max(200), policy: ToolPolicy.nullable() }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
} as const;
