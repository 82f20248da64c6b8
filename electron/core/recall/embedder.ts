import { CodaError, type ProviderPreset } from '../../../shared/index.js';
import { describe, normalizeFailure, redactKeys, type ProviderIdentity } from '../providers/errors.js';

/** Turns texts into vectors with one provider's embedding model; keys stay inside. */
export interface Embedder {
  /** "provider/model": which model's vectors these are (stored with each one). */
  readonly key: string;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/**
 * Vectors are asked for at this size where the API can shorten them (OpenAI's text-embedding-3 models, Gemini):
 * exact search reads every vector, so its cost grows with the size (bench/results/vectors.json); both providers
 * train these models so that a shortened vector keeps most of its quality.
 */
export const EMBEDDING_DIMS = 256;

/** At most this many texts per request (OpenAI takes 2,048, Gemini's batch 100). */
export const EMBED_BATCH = 64;

/** A message longer than this is embedded by its beginning (every model has an input limit, ~8k tokens for most). */
const MAX_CHARS = 8_000;

export interface EmbedderOptions {
  preset: ProviderPreset;
  identity: ProviderIdentity;
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
}

/** An embedder over the provider's own SDK (the OpenAI SDK for OpenAI-compatible servers such as Ollama). */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const { preset, identity, model } = options;
  const key = `${preset.id}/${model}`;
  switch (preset.kind) {
    case 'gemini':
      return { key, embed: (texts, signal) => guarded(identity, () => geminiEmbed(options, texts, signal)) };
    case 'openai':
    case 'openai-compatible':
      return { key, embed: (texts, signal) => guarded(identity, () => openaiEmbed(options, texts, signal)) };
    default:
      throw new CodaError('validation', `${preset.label} has no embeddings API here: pick OpenAI, Gemini, Ollama or another OpenAI-compatible server.`);
  }
}

async function openaiEmbed(options: EmbedderOptions, texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 1, timeout: 60_000 });
  const shortened = options.preset.kind === 'openai' && options.model.startsWith('text-embedding-3');
  const response = await client.embeddings.create(
    { model: options.model, input: texts.map(clip), ...(shortened ? { dimensions: EMBEDDING_DIMS } : {}) },
    { signal },
  );
  const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => Float32Array.from(d.embedding));
  return checked(options, texts, vectors);
}

async function geminiEmbed(options: EmbedderOptions, texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
  const { GoogleGenAI } = await import('@google/genai');
  const baseUrl = (options.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
  // Everything explicit, as in gemini.ts: the SDK would otherwise read its own environment variables.
  const client = new GoogleGenAI({ vertexai: false, apiKey: options.apiKey, apiVersion: 'v1beta', httpOptions: { baseUrl, apiVersion: 'v1beta' } });
  const response = await client.models.embedContent({
    model: options.model,
    contents: texts.map(clip),
    config: { outputDimensionality: EMBEDDING_DIMS, abortSignal: signal },
  });
  const vectors = (response.embeddings ?? []).map((e) => Float32Array.from(e.values ?? []));
  return checked(options, texts, vectors);
}

function clip(text: string): string {
  // An empty input is refused by some servers; a space embeds as "nothing".
  return text.trim() ? text.slice(0, MAX_CHARS) : ' ';
}

function checked(options: EmbedderOptions, texts: string[], vectors: Float32Array[]): Float32Array[] {
  if (vectors.length !== texts.length || vectors.some((v) => v.length === 0))
    throw new CodaError('provider_error', `${options.identity.label} returned ${vectors.length} embeddings for ${texts.length} texts from ${options.model}.`);
  return vectors;
}

/** SDK errors as the app's: the provider's status and words, never a key. */
async function guarded<T>(identity: ProviderIdentity, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CodaError) throw error;
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
    if (status !== undefined) throw normalizeFailure(identity, { status, message: describe(error) });
    throw new CodaError('network', `${identity.label} could not be reached for embeddings: ${redactKeys(describe(error))}`, { provider: identity.id });
  }
}
