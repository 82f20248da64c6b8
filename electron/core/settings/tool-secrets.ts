import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';
import type { KeyStore } from './key-store.js';

/**
 * Everything secret about one tool server, as one record: the values whose names its saved configuration keeps
 * (see tool-servers.ts), and the OAuth state its sign-in writes. One record, so a server's secrets are saved,
 * replaced, rolled back and forgotten together, and nothing of a removed server can linger under a name of its own.
 */
export interface ServerSecrets {
  /** HTTP servers: header values, by header name. */
  headers: Record<string, string>;
  /** Commands: values of the secret environment variables, by name. */
  env: Record<string, string>;
  /** Remote servers: values of the address's secret query parameters, exactly as written in the address. */
  query: Record<string, string>;
  /** OpenAPI services: the bearer token, API key value or basic-auth password. */
  auth?: string;
  /** An OAuth client registered ahead: its secret, or (signing in as a service) its private key. */
  clientSecret?: string;
  privateKey?: string;
  /** OAuth tokens, registration and discovery, written as the sign-in goes. */
  oauth?: OAuthState;
}

export interface OAuthState {
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  discovery?: OAuthDiscoveryState;
  /** The port the client was registered with, so its redirect address stays valid. */
  callbackPort?: number;
}

const Values = z.record(z.string(), z.string()).default({});
/** Written only by Coda, but read back from a file: a record that does not fit counts as unreadable. */
const StoredSecrets = z.object({
  headers: Values,
  env: Values,
  query: Values,
  auth: z.string().optional(),
  clientSecret: z.string().optional(),
  privateKey: z.string().optional(),
  // The SDK's own types; the SDK checks what it reads of them.
  oauth: z.custom<OAuthState>((value) => typeof value === 'object' && value !== null).optional(),
});

export const noSecrets = (): ServerSecrets => ({ headers: {}, env: {}, query: {} });

/**
 * Secrets of tool servers, one record per server. Where the host can encrypt (the desktop app), each record is one
 * entry of `keys.json` beside the provider keys (`tool:<server id>`); elsewhere (serve mode, the CLI, tests) records
 * live in memory until the process ends, so nothing secret is ever written to disk in plain text.
 */
export class ToolSecrets {
  private readonly volatile = new Map<string, string>();

  /** `null`: memory only, with no key file at all (tests, the conformance harness). */
  constructor(private readonly keys: KeyStore | null) {}

  static inMemory(): ToolSecrets {
    return new ToolSecrets(null);
  }

  /** False when secrets last only until Coda quits (no OS keychain here); the UI says so. */
  get persistent(): boolean {
    return this.keys?.available ?? false;
  }

  /** A server's secrets; empty when none are saved, or when they cannot be read here (see `unreadableSecrets`). */
  read(serverId: string): ServerSecrets {
    const text = this.keys?.available ? this.keys.get(entryId(serverId)) : this.volatile.get(serverId);
    if (text === undefined) return noSecrets();
    try {
      const parsed = StoredSecrets.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : noSecrets();
    } catch {
      return noSecrets();
    }
  }

  /**
   * Saves a server's record whole. Where it is encrypted, the key store must give it back (see `setChecked`): on any
   * failure the previous record stays as it was, and the error is thrown.
   */
  save(serverId: string, secrets: ServerSecrets): void {
    const text = isEmpty(secrets) ? null : JSON.stringify(secrets);
    if (this.keys?.available) {
      if (text !== null || this.keys.has(entryId(serverId))) this.keys.setChecked(entryId(serverId), text);
    } else if (text === null) this.volatile.delete(serverId);
    else this.volatile.set(serverId, text);
  }

  update(serverId: string, change: (secrets: ServerSecrets) => ServerSecrets): void {
    this.save(serverId, change(this.read(serverId)));
  }

  /** Forgets every secret of a server (it was removed), in keys.json too where this host cannot decrypt it. */
  remove(serverId: string): void {
    this.volatile.delete(serverId);
    if (this.keys?.has(entryId(serverId))) this.keys.set(entryId(serverId), null);
  }
}

function entryId(serverId: string): string {
  return `tool:${serverId}`;
}

function isEmpty(secrets: ServerSecrets): boolean {
  const { headers, env, query, ...rest } = secrets;
  return [headers, env, query].every((values) => Object.keys(values).length === 0) && Object.values(rest).every((value) => value === undefined);
}
