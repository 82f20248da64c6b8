import { findPreset, providerPresets, type ProviderPreset } from '../../../shared/index.js';

/** Where a provider's endpoint and key come from for this process; keys never leave core. */
export interface ProviderCredentials {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  /** Azure OpenAI only. */
  apiVersion?: string | undefined;
}

export interface ProviderConfigSource {
  credentials(id: string): ProviderCredentials;
  /** What to tell a user whose key was rejected, e.g. "check ANTHROPIC_API_KEY". */
  keyHint(preset: ProviderPreset): string;
}

/** The CLI and serve mode: endpoints and keys from the environment, named as each SDK names them. */
export function environmentConfig(env: NodeJS.ProcessEnv): ProviderConfigSource {
  return {
    credentials(id) {
      const preset = findPreset(id);
      if (!preset) return {};
      return {
        apiKey: (preset.keyEnv && env[preset.keyEnv]) || undefined,
        baseUrl: (preset.baseUrlEnv && env[preset.baseUrlEnv]) || undefined,
        apiVersion: preset.kind === 'azure' ? env['OPENAI_API_VERSION'] || undefined : undefined,
      };
    },
    keyHint: (preset) => (preset.keyEnv ? `check ${preset.keyEnv}` : 'check the key you gave it'),
  };
}

/** A preset counts as configured when it has what it needs: a key where one is required, an address otherwise. */
export function isConfigured(preset: ProviderPreset, credentials: ProviderCredentials): boolean {
  if (preset.kind === 'azure') return Boolean(credentials.apiKey && credentials.baseUrl);
  if (preset.needsKey) return Boolean(credentials.apiKey);
  // A local server only counts once the user pointed at it (or gave it a key), not merely because a default exists;
  // a custom endpoint has no default address at all.
  return preset.baseUrl ? Boolean(credentials.baseUrl || credentials.apiKey) : Boolean(credentials.baseUrl);
}

export { providerPresets };
