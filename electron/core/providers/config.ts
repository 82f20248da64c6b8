import { findPreset, providerPresets, type ProviderKind, type ProviderPreset } from '../../../shared/index.js';

/** Where a provider's endpoint and key come from for this process; keys never leave core. */
export interface ProviderCredentials {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  /** Azure OpenAI only. */
  apiVersion?: string | undefined;
  /**
   * Why a key the user set is not sent to this address (it belongs to another origin, or would cross the network in
   * plain http): requests are refused with this, rather than sent without the key the user expects to be used.
   */
  keyRefused?: string | undefined;
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

/** The addresses the SDKs use when none is set; named here so a key can be bound to them, and the SDKs never pick one from their own environment variables. */
const SDK_BASE_URLS: Partial<Record<ProviderKind, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

/** Where a provider is reached when nothing sets its address: the preset's local default, or its SDK's own. */
export function defaultBaseUrl(preset: ProviderPreset): string | undefined {
  return preset.baseUrl ?? SDK_BASE_URLS[preset.kind];
}

/** scheme://host:port, the part of an address a key is bound to; null when there is no address or it does not parse. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The host of an address reached over plain http on another machine (anyone on the way can read what is sent), or
 * null when the address is https or on this machine (localhost, 127.0.0.0/8, ::1).
 */
export function cleartextRemoteHost(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:') return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return loopback ? null : host;
}

export { providerPresets };
