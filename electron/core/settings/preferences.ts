import Conf from 'conf';
import { DEFAULT_BUDGETS, type Appearance, type Budgets, type ModelPrice, type Preset, type ShortcutBindings } from '../../../shared/index.js';
import type { ToolServerConfig } from './tool-servers.js';

/** Non-secret app preferences, in `preferences.json` in the data folder (electron-store in the app, conf elsewhere). */
export interface PreferencesData {
  /**
   * What new chats start with: the model the user picked last (in a chat or in Settings) and the default system
   * prompt. Null until either is set.
   */
  defaults: { provider: string; model: string; systemPrompt?: string } | null;
  /** Per provider: the endpoint the user chose, and the origin its saved key was given for (never keys). */
  providers: Record<string, { baseUrl?: string; apiVersion?: string; keyOrigin?: string }>;
  /** USD per 1M tokens, keyed "provider/model", overriding the built-in price table. */
  priceOverrides: Record<string, ModelPrice>;
  /** Tool servers the user added (never their secrets); none starts before the user confirmed what it runs. */
  toolServers: ToolServerConfig[];
  /**
   * Ids of removed tool servers, never given again: a confirmation, a tool rule or a chat's tool choice meant for a
   * removed server must not apply to a new one that happens to get the same label.
   */
  retiredToolServerIds: string[];
  /** Per tool ("server__tool"): run without asking, ask each time, or never. */
  toolPolicies: Record<string, ToolPolicy>;
  /** How the app looks; null until the user changes it. */
  appearance: Appearance | null;
  /** The user's own shortcut bindings (the rest keep their defaults). */
  shortcuts: ShortcutBindings;
  /** Named starting points for new chats. */
  presets: Preset[];
  /** Spending limits per month and per chat, and whether reaching one blocks sending. */
  budgets: Budgets;
  /** Days an answer's timings (its spans) are kept; null: the default, 30. */
  traceRetentionDays: number | null;
}

export type ToolPolicy = 'auto' | 'ask' | 'deny';

/** The slice of electron-store's (and conf's) API that core uses, so either can back it. */
export interface Preferences {
  get<K extends keyof PreferencesData>(key: K): PreferencesData[K];
  set<K extends keyof PreferencesData>(key: K, value: PreferencesData[K]): void;
}

export const PREFERENCE_DEFAULTS: PreferencesData = {
  defaults: null,
  providers: {},
  priceOverrides: {},
  toolServers: [],
  retiredToolServerIds: [],
  toolPolicies: {},
  appearance: null,
  shortcuts: {},
  presets: [],
  budgets: DEFAULT_BUDGETS,
  traceRetentionDays: null,
};

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
