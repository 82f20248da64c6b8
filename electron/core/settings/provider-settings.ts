import { CodaError, findPreset, type ProviderPreset } from '../../../shared/index.js';
import { environmentConfig, type ProviderConfigSource, type ProviderCredentials } from '../providers/config.js';
import type { KeyStore } from './key-store.js';
import type { Preferences } from './preferences.js';

export type KeySource = 'settings' | 'environment' | null;

/**
 * Where each provider's endpoint and key come from: what the user set in Settings › Providers (keys encrypted in
 * the key store, endpoints in preferences) first, then the environment (the only source in serve mode and the CLI).
 */
export class ProviderSettings implements ProviderConfigSource {
  private readonly env: ProviderConfigSource;

  constructor(
    env: NodeJS.ProcessEnv,
    private readonly preferences: Preferences,
    private readonly keys: KeyStore,
  ) {
    this.env = environmentConfig(env);
  }

  credentials(id: string): ProviderCredentials {
    const fromEnv = this.env.credentials(id);
    const chosen = this.preferences.get('providers')[id] ?? {};
    return {
      apiKey: this.keys.get(id) ?? fromEnv.apiKey,
      baseUrl: chosen.baseUrl ?? fromEnv.baseUrl,
      apiVersion: chosen.apiVersion ?? fromEnv.apiVersion,
    };
  }

  keySource(id: string): KeySource {
    if (this.keys.get(id) !== undefined) return 'settings';
    return this.env.credentials(id).apiKey ? 'environment' : null;
  }

  keyHint(preset: ProviderPreset): string {
    if (this.keySource(preset.id) === 'settings') return 'check it in Settings › Providers';
    return preset.keyEnv ? `check ${preset.keyEnv}${this.keys.available ? ' or set a key in Settings › Providers' : ''}` : 'check it in Settings › Providers';
  }

  get canStoreKeys(): boolean {
    return this.keys.available;
  }

  get storageWarning(): string | null {
    return this.keys.warning;
  }

  /** Saves what the user changed; `null` clears a value, `undefined` leaves it. */
  update(id: string, change: { apiKey?: string | null; baseUrl?: string | null; apiVersion?: string | null }): void {
    const preset = findPreset(id);
    if (!preset) throw new CodaError('not_found', `There is no provider "${id}".`);
    if (change.apiKey !== undefined) {
      if (change.apiKey !== null && !this.keys.available) {
        throw new CodaError(
          'validation',
          `Keys cannot be saved here (no secure storage in serve mode or the CLI). Set ${preset.keyEnv ?? 'the key'} in the environment instead.`,
        );
      }
      this.keys.set(id, change.apiKey);
    }
    if (change.baseUrl !== undefined || change.apiVersion !== undefined) {
      const all = { ...this.preferences.get('providers') };
      const next = { ...all[id] };
      if (change.baseUrl === null) delete next.baseUrl;
      else if (change.baseUrl !== undefined) next.baseUrl = change.baseUrl;
      if (change.apiVersion === null) delete next.apiVersion;
      else if (change.apiVersion !== undefined) next.apiVersion = change.apiVersion;
      all[id] = next;
      this.preferences.set('providers', all);
    }
  }
}
