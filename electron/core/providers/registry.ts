import { CodaError, findPreset, providerPresets, type ProviderPreset } from '../../../shared/index.js';
import { defaultBaseUrl, isConfigured, type ProviderConfigSource, type ProviderCredentials } from './config.js';
import type { ProviderIdentity } from './errors.js';
import { LazyProvider } from './lazy-provider.js';
import { DEFAULT_POLICY, ResilientProvider, type ResiliencePolicy } from './resilience.js';
import type { ChatProvider } from './types.js';
import { createEmbedder, type Embedder } from '../recall/embedder.js';

export interface ProviderDescription {
  id: string;
  label: string;
  kind: ProviderPreset['kind'];
  configured: boolean;
  baseUrl: string | null;
  /** The last 4 characters of the key, so a user can tell which one is set; never more. */
  keyLast4: string | null;
}

/** Hands out one configured, fault-tolerant adapter per provider; keys stay inside this object. */
export class ProviderRegistry {
  private readonly cache = new Map<string, { provider: ResilientProvider; fingerprint: string }>();

  constructor(
    private readonly config: ProviderConfigSource,
    private readonly policy: ResiliencePolicy = DEFAULT_POLICY,
  ) {}

  describe(): ProviderDescription[] {
    return providerPresets.map((preset) => {
      const credentials = this.config.credentials(preset.id);
      return {
        id: preset.id,
        label: preset.label,
        kind: preset.kind,
        configured: isConfigured(preset, credentials),
        baseUrl: credentials.baseUrl ?? preset.baseUrl ?? null,
        keyLast4: credentials.apiKey && credentials.apiKey.length >= 8 ? credentials.apiKey.slice(-4) : null,
      };
    });
  }

  /** An embedding model of provider `id` (semantic recall), under the same checks as `get`. */
  embedder(id: string, model: string): Embedder {
    const { preset, credentials, identity } = this.checked(id);
    return createEmbedder({ preset, identity, apiKey: credentials.apiKey ?? 'not-needed', baseUrl: credentials.baseUrl ?? defaultBaseUrl(preset), model });
  }

  /** The provider for `id`, or a provider_not_configured error that says how to configure it. */
  get(id: string): ChatProvider {
    const { preset, credentials, identity } = this.checked(id);
    // Rebuilt when the key or endpoint changes (Settings), kept otherwise so its circuit breaker remembers.
    const fingerprint = JSON.stringify(credentials);
    const cached = this.cache.get(id);
    if (cached && cached.fingerprint === fingerprint) return cached.provider;
    const provider = new ResilientProvider(createAdapter(preset, credentials, identity), preset.label, this.policy);
    this.cache.set(id, { provider, fingerprint });
    return provider;
  }

  /** Provider `id`'s preset and credentials, once they are known to be usable; else an error saying how to fix it. */
  private checked(id: string): { preset: ProviderPreset; credentials: ProviderCredentials; identity: ProviderIdentity } {
    const preset = findPreset(id);
    if (!preset) {
      const known = providerPresets.map((p) => p.id).join(', ');
      throw new CodaError('provider_not_configured', `There is no provider "${id}". Known providers: ${known}.`);
    }
    const credentials = this.config.credentials(id);
    // A key that may not go to this address is never dropped silently: the request does not leave.
    if (credentials.keyRefused) throw new CodaError('provider_not_configured', credentials.keyRefused);
    if (!isConfigured(preset, credentials)) throw new CodaError('provider_not_configured', notConfiguredMessage(preset));
    return { preset, credentials, identity: { id: preset.id, label: preset.label, keyHint: this.config.keyHint(preset) } };
  }
}

function createAdapter(preset: ProviderPreset, credentials: ProviderCredentials, identity: ProviderIdentity): ChatProvider {
  // Local OpenAI-compatible servers take any key; the SDKs require one to be present.
  const apiKey = credentials.apiKey ?? 'not-needed';
  // Always explicit: the address the key was checked against is the one used (the SDKs would otherwise read their own
  // environment variables for it).
  const baseUrl = credentials.baseUrl ?? defaultBaseUrl(preset);
  // Each adapter's module (and its SDK) loads when the provider is first used, so only the SDK in use is loaded.
  const load = async (): Promise<ChatProvider> => {
    switch (preset.kind) {
      case 'anthropic':
        return new (await import('./anthropic.js')).AnthropicProvider({ identity, apiKey, baseURL: baseUrl });
      case 'gemini':
        return new (await import('./gemini.js')).GeminiProvider({ identity, apiKey, baseUrl });
      case 'azure':
        return new (await import('./openai.js')).OpenAIProvider({
          identity,
          apiKey,
          azure: { endpoint: baseUrl ?? '', apiVersion: credentials.apiVersion ?? '2024-10-21' },
        });
      case 'openai':
      case 'openai-compatible':
        return new (await import('./openai.js')).OpenAIProvider({ identity, apiKey, baseURL: baseUrl });
    }
  };
  return new LazyProvider(preset.id, load, { countsTokens: preset.kind === 'gemini' });
}

function notConfiguredMessage(preset: ProviderPreset): string {
  if (preset.kind === 'azure')
    return `Azure OpenAI needs an endpoint and a key: set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY (or add them in Settings › Providers).`;
  if (preset.needsKey)
    return `No ${preset.label} key is set: add one in Settings › Providers${preset.keyEnv ? `, or set ${preset.keyEnv} for the CLI and serve mode` : ''}.`;
  return `${preset.label} is not set up: give its address in Settings › Providers${preset.baseUrlEnv ? `, or set ${preset.baseUrlEnv} for the CLI and serve mode` : ''} (default ${preset.baseUrl}).`;
}
