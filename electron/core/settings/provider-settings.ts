import { CodaError, findPreset, type ProviderPreset } from '../../../shared/index.js';
import { defaultBaseUrl, environmentConfig, originOf, type ProviderConfigSource, type ProviderCredentials } from '../providers/config.js';
import { cleartextRefusal, decideKey, type KeyDecision } from './key-binding.js';
import type { KeyStore } from './key-store.js';
import type { Preferences } from './preferences.js';

export type KeySource = 'settings' | 'environment' | null;

/**
 * Where each provider's endpoint and key come from: what the user set in Settings › Providers (keys encrypted in
 * the key store, endpoints in preferences) first, then the environment (the only source in serve mode and the CLI).
 * A key goes only to the origin it belongs to (key-binding.ts).
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
    const decision = this.keyDecision(id);
    return {
      baseUrl: chosen.baseUrl ?? fromEnv.baseUrl,
      apiVersion: chosen.apiVersion ?? fromEnv.apiVersion,
      ...(decision.kind === 'send' ? { apiKey: decision.apiKey } : decision.kind === 'withhold' ? { keyRefused: decision.reason } : {}),
    };
  }

  keySource(id: string): KeySource {
    if (this.keys.get(id) !== undefined) return 'settings';
    return this.env.credentials(id).apiKey ? 'environment' : null;
  }

  /** Why a key is not sent to the provider's current address, or why the saved one was removed; null when all is well. */
  keyNotice(id: string): string | null {
    const decision = this.keyDecision(id);
    return decision.kind === 'withhold' || decision.kind === 'dropped' ? decision.reason : null;
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

  /**
   * Saves what the user changed; `null` clears a value, `undefined` leaves it. A key is bound to the origin in use
   * when it is saved; moving the address to another origin removes it (the user enters it again for the new one).
   */
  update(id: string, change: { apiKey?: string | null; baseUrl?: string | null; apiVersion?: string | null }): void {
    const preset = findPreset(id);
    if (!preset) throw new CodaError('not_found', `There is no provider "${id}".`);
    const fromEnv = this.env.credentials(id);
    const all = { ...this.preferences.get('providers') };
    const next = { ...all[id] };
    const before = originOf(next.baseUrl ?? fromEnv.baseUrl ?? defaultBaseUrl(preset));
    if (change.baseUrl === null) delete next.baseUrl;
    else if (change.baseUrl !== undefined) next.baseUrl = change.baseUrl;
    if (change.apiVersion === null) delete next.apiVersion;
    else if (change.apiVersion !== undefined) next.apiVersion = change.apiVersion;
    const address = next.baseUrl ?? fromEnv.baseUrl ?? defaultBaseUrl(preset);
    const after = originOf(address);

    if (typeof change.apiKey === 'string') {
      if (!this.keys.available) {
        throw new CodaError(
          'validation',
          `Keys cannot be saved here (no secure storage in serve mode or the CLI). Set ${preset.keyEnv ?? 'the key'} in the environment instead.`,
        );
      }
      const refusal = cleartextRefusal(address);
      if (refusal) throw new CodaError('validation', refusal);
      this.keys.set(id, change.apiKey);
      if (after) next.keyOrigin = after;
      else delete next.keyOrigin;
    } else if (change.apiKey === null) {
      this.keys.set(id, null);
      delete next.keyOrigin;
    } else if (before !== after && this.keys.has(id)) {
      // A key saved before any address was set belongs to the first one given; otherwise the key stays behind.
      if (before === null && next.keyOrigin === undefined && after) next.keyOrigin = after;
      else this.keys.set(id, null);
    }
    all[id] = next;
    this.preferences.set('providers', all);
  }

  private keyDecision(id: string): KeyDecision {
    const preset = findPreset(id);
    if (!preset) return { kind: 'none' };
    const fromEnv = this.env.credentials(id);
    const chosen = this.preferences.get('providers')[id] ?? {};
    return decideKey({
      preset,
      address: chosen.baseUrl ?? fromEnv.baseUrl ?? defaultBaseUrl(preset),
      savedKey: this.keys.get(id),
      keyOrigin: chosen.keyOrigin,
      env: { apiKey: fromEnv.apiKey, baseUrl: fromEnv.baseUrl },
      canSaveKeys: this.keys.available,
    });
  }
}
