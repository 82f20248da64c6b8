import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CodaError,
  DEFAULT_BUDGETS,
  DEFAULT_RECALL_SETTINGS,
  type RecallSettings,
  type Appearance,
  type Budgets,
  type ModelPrice,
  type Preset,
  type ShortcutBindings,
} from '../../../shared/index.js';
import { DEFAULT_SUMMARY_SETTINGS, type SummarySettings } from '../../../shared/contract/summary-methods.js';
import type { ToolServerConfig } from './tool-servers.js';

/** Non-secret app preferences, in `preferences.json` in the data folder (electron-store in the app, `filePreferences` elsewhere). */
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
  /** When chats are summarized (the threshold, automatic or not) and by which model. */
  summaries: SummarySettings;
  /** Semantic recall: the embedding model (null: keyword recall), all chats or this one, threshold, how many. */
  recall: RecallSettings;
}

export type ToolPolicy = 'auto' | 'ask' | 'deny';

/** The slice of electron-store's API that core uses, so it or the plain file below can back it. */
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
  summaries: DEFAULT_SUMMARY_SETTINGS,
  recall: DEFAULT_RECALL_SETTINGS,
};

/**
 * Serve mode and the CLI: the same JSON file the desktop app's electron-store writes, read as electron-store (and
 * conf, which these used before) reads it: afresh at every `get`, so a change the app makes meanwhile is seen, and
 * written whole at every `set`, through a new file renamed over the old one, so a reader never sees half of it.
 * conf cost a chat about 150 modules at start (Ajv, semver, its atomic writer) for what these few lines do.
 */
export function filePreferences(dataDir: string): Preferences {
  const file = path.join(dataDir, 'preferences.json');
  const read = (): Partial<PreferencesData> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new CodaError(
        'validation',
        `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it, or move it away to start from defaults.`,
      );
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new CodaError('validation', `${file} does not hold an object of preferences: fix it, or move it away to start from defaults.`);
    return data as Partial<PreferencesData>;
  };
  const write = (data: Partial<PreferencesData>) => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const next = `${file}.${process.pid}.tmp`;
    // 0600: only this user reads it, whatever the umask (the new file is made with it, then takes the old one's place).
    writeFileSync(next, JSON.stringify(data, undefined, '\t'), { mode: 0o600 });
    renameSync(next, file);
  };
  // As electron-store does at open: a file without every default (a new data folder) gets them written.
  const initial = read();
  if (Object.keys(PREFERENCE_DEFAULTS).some((key) => !(key in initial))) write({ ...PREFERENCE_DEFAULTS, ...initial });
  return {
    get: (key) => read()[key] ?? PREFERENCE_DEFAULTS[key],
    set: (key, value) => write({ ...read(), [key]: value }),
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
