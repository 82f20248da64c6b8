import { DEFAULT_SETTINGS_MODEL, providerPresets, type MethodOutput } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Preferences } from './preferences.js';
import type { ProviderSettings } from './provider-settings.js';

/** What Settings › Providers shows: status per provider, never a key (only its last 4 characters). */
export function providersPage(registry: ProviderRegistry, settings: ProviderSettings, preferences: Preferences): MethodOutput<'providers.list'> {
  const described = new Map(registry.describe().map((d) => [d.id, d]));
  return {
    providers: providerPresets.map((preset) => {
      const d = described.get(preset.id);
      return {
        id: preset.id,
        label: preset.label,
        kind: preset.kind,
        configured: d?.configured ?? false,
        baseUrl: d?.baseUrl ?? null,
        defaultBaseUrl: preset.baseUrl ?? null,
        keyLast4: d?.keyLast4 ?? null,
        keySource: settings.keySource(preset.id),
        keyNotice: settings.keyNotice(preset.id),
        needsKey: preset.needsKey,
        keyEnv: preset.keyEnv ?? null,
        baseUrlEnv: preset.baseUrlEnv ?? null,
      };
    }),
    canStoreKeys: settings.canStoreKeys,
    storageWarning: settings.storageWarning,
    defaults: { systemPrompt: '', ...DEFAULT_SETTINGS_MODEL, ...preferences.get('defaults') },
    priceOverrides: preferences.get('priceOverrides'),
  };
}
