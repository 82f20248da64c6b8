/** How Coda talks to a provider: which SDK and wire format. */
export type ProviderKind = 'openai' | 'azure' | 'anthropic' | 'gemini' | 'openai-compatible';

export interface ProviderPreset {
  id: string;
  label: string;
  kind: ProviderKind;
  /** Default endpoint; servers people run themselves listen here unless told otherwise. */
  baseUrl?: string;
  /** Environment variables read in the CLI and serve mode (named as each SDK names them). */
  keyEnv?: string;
  baseUrlEnv?: string;
  /** Local servers (Ollama, LM Studio…) accept any key. */
  needsKey: boolean;
  /** Whether the endpoint lists its models (GET /models). */
  listsModels: boolean;
}

export const providerPresets: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', keyEnv: 'OPENAI_API_KEY', baseUrlEnv: 'OPENAI_BASE_URL', needsKey: true, listsModels: true },
  { id: 'anthropic', label: 'Anthropic', kind: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY', baseUrlEnv: 'ANTHROPIC_BASE_URL', needsKey: true, listsModels: true },
  { id: 'gemini', label: 'Google Gemini', kind: 'gemini', keyEnv: 'GEMINI_API_KEY', baseUrlEnv: 'GEMINI_BASE_URL', needsKey: true, listsModels: true },
  // Azure: the endpoint is the resource URL; models are deployments, named by the user.
  {
    id: 'azure',
    label: 'Azure OpenAI',
    kind: 'azure',
    keyEnv: 'AZURE_OPENAI_API_KEY',
    baseUrlEnv: 'AZURE_OPENAI_ENDPOINT',
    needsKey: true,
    listsModels: false,
  },
  {
    id: 'ollama',
    label: 'Ollama',
    kind: 'openai-compatible',
    baseUrl: 'http://localhost:11434/v1',
    baseUrlEnv: 'OLLAMA_BASE_URL',
    needsKey: false,
    listsModels: true,
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    kind: 'openai-compatible',
    baseUrl: 'http://localhost:1234/v1',
    baseUrlEnv: 'LMSTUDIO_BASE_URL',
    needsKey: false,
    listsModels: true,
  },
  {
    id: 'vllm',
    label: 'vLLM',
    kind: 'openai-compatible',
    baseUrl: 'http://localhost:8000/v1',
    keyEnv: 'VLLM_API_KEY',
    baseUrlEnv: 'VLLM_BASE_URL',
    needsKey: false,
    listsModels: true,
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp server',
    kind: 'openai-compatible',
    baseUrl: 'http://localhost:8080/v1',
    baseUrlEnv: 'LLAMACPP_BASE_URL',
    needsKey: false,
    listsModels: true,
  },
  // Any other OpenAI-compatible server (a company gateway, LiteLLM, Together, Groq…): the user gives the address.
  {
    id: 'custom',
    label: 'Custom (OpenAI-compatible)',
    kind: 'openai-compatible',
    keyEnv: 'CUSTOM_OPENAI_API_KEY',
    baseUrlEnv: 'CUSTOM_OPENAI_BASE_URL',
    needsKey: false,
    listsModels: true,
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    kind: 'openai-compatible',
    baseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    needsKey: true,
    listsModels: true,
  },
];

export function findPreset(id: string): ProviderPreset | undefined {
  return providerPresets.find((p) => p.id === id);
}
