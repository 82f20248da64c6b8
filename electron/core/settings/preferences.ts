import Conf from 'conf';
import type { ModelPrice } from '../../../shared/index.js';
import type { OAuthSettings } from '../tools/oauth/server-oauth.js';

/** Non-secret app preferences, in `preferences.json` in the data folder (electron-store in the app, conf elsewhere). */
export interface PreferencesData {
  /** Provider and model new chats start with. */
  defaults: { provider: string; model: string } | null;
  /** Per provider: the endpoint the user chose (never keys). */
  providers: Record<string, { baseUrl?: string; apiVersion?: string }>;
  /** USD per 1M tokens, keyed "provider/model", overriding the built-in price table. */
  priceOverrides: Record<string, ModelPrice>;
  /** MCP servers the user added; none starts before the user confirmed its full command line. */
  toolServers: ToolServerConfig[];
  /** Per tool ("server__tool"): run without asking, ask each time, or never. */
  toolPolicies: Record<string, ToolPolicy>;
}

export type ToolPolicy = 'auto' | 'ask' | 'deny';

/**
 * How an OpenAPI service signs its calls. The secret part (token, key value, password) is in the key store; it is
 * here only in files written before that, and only where it cannot be encrypted (see `headers` below).
 */
export type ToolServerAuth =
  | { type: 'none' }
  | { type: 'bearer'; token?: string }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value?: string }
  | { type: 'basic'; username: string; password?: string };

export interface ToolServerConfig {
  id: string;
  label: string;
  transport: 'stdio' | 'http' | 'openapi';
  /**
   * HTTP servers: the MCP endpoint. OpenAPI services: the description's address. Query parameters whose name looks
   * secret (`api_key`, `token`, see `isSecretQueryName`) are not in it: their values are in the key store, named in
   * `secretQueryNames`, and go back into the address when it is used. Files written before that hold them here in
   * plain text; they are moved like `headers`.
   */
  url?: string;
  secretQueryNames?: string[];
  /** OpenAPI services: the service address, when not the description's own, and how to authenticate. */
  baseUrl?: string;
  auth?: ToolServerAuth;
  /** HTTP servers: names of the headers to send (an API token, say); their values are in the key store (ToolSecrets). */
  headerNames?: string[];
  /**
   * Header values in plain text, from files written before values moved to the key store. They are moved at start
   * where secrets can be encrypted, and kept (and still sent) where they cannot, so nothing saved is lost.
   */
  headers?: Record<string, string>;
  /** stdio servers: what to run. */
  command: string;
  args: string[];
  /**
   * stdio servers: the environment it gets, but for values whose name looks secret (see `isSecretEnvVariable`): those
   * are in the key store, named in `secretEnvNames`. Files written before that hold them here in plain text; they
   * are moved like `headers`.
   */
  env: Record<string, string>;
  secretEnvNames?: string[];
  confirmed: boolean;
  /** Read-only tools of a trusted server run without asking. */
  trusted: boolean;
  /** HTTP servers that sign in with OAuth: a pre-registered client, scopes, a fixed callback port (its secret is in the key store). */
  oauth?: OAuthSettings;
  /** Longest one call may take; 60 s when unset. */
  timeoutMs?: number;
}

/** The slice of electron-store's (and conf's) API that core uses, so either can back it. */
export interface Preferences {
  get<K extends keyof PreferencesData>(key: K): PreferencesData[K];
  set<K extends keyof PreferencesData>(key: K, value: PreferencesData[K]): void;
}

export const PREFERENCE_DEFAULTS: PreferencesData = { defaults: null, providers: {}, priceOverrides: {}, toolServers: [], toolPolicies: {} };

/** Serve mode and the CLI: the same JSON file the desktop app's electron-store writes. */
export function filePreferences(dataDir: string): Preferences {
  // 0600: only this user reads it, whatever the umask (conf sets the mode on every write).
  const conf = new Conf<PreferencesData>({ cwd: dataDir, configName: 'preferences', defaults: PREFERENCE_DEFAULTS, configFileMode: 0o600 });
  return {
    get: (key) => conf.get(key) ?? PREFERENCE_DEFAULTS[key],
    set: (key, value) => conf.set(key, value),
  };
}

/** Tests: preferences that live only as long as the object. */
export function memoryPreferences(initial: Partial<PreferencesData> = {}): Preferences {
  const data: PreferencesData = { ...PREFERENCE_DEFAULTS, ...initial };
  return {
    get: (key) => data[key],
    set: (key, value) => {
      data[key] = value;
    },
  };
}
