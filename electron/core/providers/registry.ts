import { CodaError } from '../../../shared/index.js';
import { OpenAIProvider } from './openai.js';
import type { ChatProvider } from './types.js';

export interface ProviderSettings {
  openai: { apiKey: string | undefined; baseURL: string | undefined };
  maxRetries?: number;
}

export interface ProviderDescription {
  id: string;
  label: string;
  configured: boolean;
  baseUrl: string | null;
}

/** Reads provider endpoints and keys the way the SDKs name them. */
export function providerSettingsFromEnv(env: NodeJS.ProcessEnv): ProviderSettings {
  return { openai: { apiKey: env['OPENAI_API_KEY'] || undefined, baseURL: env['OPENAI_BASE_URL'] || undefined } };
}

/** Hands out a configured adapter per provider id; keys stay inside this object. */
export class ProviderRegistry {
  private readonly cache = new Map<string, ChatProvider>();

  constructor(private readonly settings: ProviderSettings) {}

  describe(): ProviderDescription[] {
    const { apiKey, baseURL } = this.settings.openai;
    return [{ id: 'openai', label: 'OpenAI', configured: Boolean(apiKey || baseURL), baseUrl: baseURL ?? null }];
  }

  get(id: string): ChatProvider {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const provider = this.create(id);
    this.cache.set(id, provider);
    return provider;
  }

  private create(id: string): ChatProvider {
    if (id !== 'openai') throw new CodaError('provider_not_configured', `The provider "${id}" is not available in this version.`);
    const { apiKey, baseURL } = this.settings.openai;
    if (!apiKey && !baseURL) {
      throw new CodaError('provider_not_configured', 'No OpenAI key is set: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server).');
    }
    // Local OpenAI-compatible servers (Ollama, LM Studio) take any key; the SDK requires one to be present.
    return new OpenAIProvider({ apiKey: apiKey ?? 'not-needed', baseURL, maxRetries: this.settings.maxRetries ?? 2 });
  }
}
