/** What the app knows about a model without asking the provider: limits and capabilities. */
export interface ModelInfo {
  provider: string;
  id: string;
  label: string;
  contextWindow: number;
  maxOutput: number;
  tools: boolean;
  images: boolean;
  reasoning: boolean;
}

const m = (
  provider: string,
  id: string,
  label: string,
  contextWindow: number,
  maxOutput: number,
  caps: { tools?: boolean; images?: boolean; reasoning?: boolean } = {},
): ModelInfo => ({
  provider,
  id,
  label,
  contextWindow,
  maxOutput,
  tools: caps.tools ?? true,
  images: caps.images ?? true,
  reasoning: caps.reasoning ?? false,
});

/** Curated catalog, merged with the lists providers return (which lack limits and prices). */
export const modelCatalog: readonly ModelInfo[] = [
  m('openai', 'gpt-5', 'GPT-5', 400_000, 128_000, { reasoning: true }),
  m('openai', 'gpt-5-mini', 'GPT-5 mini', 400_000, 128_000, { reasoning: true }),
  m('openai', 'gpt-5-nano', 'GPT-5 nano', 400_000, 128_000, { reasoning: true }),
  m('openai', 'gpt-4.1', 'GPT-4.1', 1_047_576, 32_768),
  m('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768),
  m('openai', 'gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768),
  m('openai', 'gpt-4o', 'GPT-4o', 128_000, 16_384),
  m('openai', 'gpt-4o-mini', 'GPT-4o mini', 128_000, 16_384),
  m('openai', 'o3', 'o3', 200_000, 100_000, { reasoning: true }),
  m('openai', 'o4-mini', 'o4-mini', 200_000, 100_000, { reasoning: true }),
  m('anthropic', 'claude-sonnet-4-6', 'Claude Sonnet 4.6', 200_000, 64_000, { reasoning: true }),
  m('anthropic', 'claude-opus-4-5', 'Claude Opus 4.5', 200_000, 64_000, { reasoning: true }),
  m('anthropic', 'claude-sonnet-4-5', 'Claude Sonnet 4.5', 200_000, 64_000, { reasoning: true }),
  m('anthropic', 'claude-haiku-4-5', 'Claude Haiku 4.5', 200_000, 64_000, { reasoning: true }),
  m('gemini', 'gemini-2.5-pro', 'Gemini 2.5 Pro', 1_048_576, 65_536, { reasoning: true }),
  m('gemini', 'gemini-2.5-flash', 'Gemini 2.5 Flash', 1_048_576, 65_536, { reasoning: true }),
  m('gemini', 'gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 1_048_576, 65_536, { reasoning: true }),
  m('gemini', 'gemini-2.0-flash', 'Gemini 2.0 Flash', 1_048_576, 8_192),
];

export function findModel(provider: string, id: string): ModelInfo | undefined {
  return modelCatalog.find((model) => model.provider === provider && model.id === id);
}

/** What new chats use until the user picks a default in Settings. */
export const DEFAULT_SETTINGS_MODEL = { provider: 'openai', model: 'gpt-4.1-mini' } as const;

/** The model a new chat with this provider starts on. */
export const defaultModels: Readonly<Record<string, string>> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-flash',
};
