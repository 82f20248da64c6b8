import { CodaError, defaultModels, type CodaClient, type MethodOutput, type Session, type SessionSettings } from '../../../shared/index.js';

type ProviderStatus = MethodOutput<'providers.list'>['providers'][number];

export interface ChatRequestOptions {
  provider?: string;
  model?: string;
  system?: string;
  fallback?: string[];
}

/**
 * The session settings a `coda chat` asks for, checked before anything is saved: providers must exist and be set
 * up here, and a model must be known. So a mistyped flag or a missing key creates no chat and changes none.
 * `current` is the session being continued (null for a new one, which starts from the defaults).
 */
export async function checkedSettings(client: CodaClient, options: ChatRequestOptions, current: Session | null): Promise<Partial<SessionSettings>> {
  const { providers } = await client.call('providers.list', {});
  const known = (id: string, flag: string): ProviderStatus => {
    const status = providers.find((p) => p.id === id);
    if (!status) throw new CodaError('validation', `Unknown provider "${id}" (${flag}). Known providers: ${providers.map((p) => p.id).join(', ')}.`);
    return status;
  };
  const usable = (status: ProviderStatus): void => {
    if (!status.configured) throw new CodaError('provider_not_configured', notSetUp(status));
  };

  const fallbacks = (options.fallback ?? []).map(parseTarget);
  for (const target of fallbacks) usable(known(target.provider, `--fallback ${target.provider}/${target.model}`));
  const provider = options.provider ? known(options.provider, '--provider') : null;
  const model = options.model ?? (provider ? defaultModels[provider.id] : undefined);
  if (provider && !model) {
    throw new CodaError('validation', `Say which model with --model for ${provider.id} (see: coda models list --provider ${provider.id}).`);
  }
  const answering = provider?.id ?? current?.settings.provider ?? (await client.call('app.info', {})).defaultSettings.provider;
  usable(known(answering, "the chat's provider"));
  return {
    ...(provider ? { provider: provider.id } : {}),
    ...(model ? { model } : {}),
    ...(options.system !== undefined ? { systemPrompt: options.system } : {}),
    ...(fallbacks.length ? { fallbacks } : {}),
  };
}

/** What to set for a provider here: the CLI and serve mode read keys and addresses from the environment. */
function notSetUp(p: ProviderStatus): string {
  if (p.kind === 'azure') return `${p.label} needs an endpoint and a key: set ${p.baseUrlEnv ?? 'its endpoint'} and ${p.keyEnv ?? 'its key'}.`;
  if (p.needsKey) return `No ${p.label} key is set: set ${p.keyEnv ?? 'its key'} (the CLI reads keys from the environment).`;
  const where = p.baseUrlEnv ? `set ${p.baseUrlEnv} to its address` : 'give its address in Settings › Providers';
  return `${p.label} is not set up: ${where}${p.defaultBaseUrl ? ` (usually ${p.defaultBaseUrl})` : ''}.`;
}

/** "anthropic/claude-haiku-4-5" → { provider, model }; the model part may itself contain slashes (OpenRouter). */
function parseTarget(value: string): { provider: string; model: string } {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1)
    throw new CodaError('validation', `A fallback is written provider/model, like anthropic/claude-haiku-4-5 (got "${value}").`);
  return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}
