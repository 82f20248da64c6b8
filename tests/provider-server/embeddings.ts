import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './stream.js';

/** Dimensions of a scripted embedding when the request does not ask for a size. */
export const SCRIPTED_EMBEDDING_DIMS = 256;

/**
 * A deterministic embedding: a hashed bag of words (each lower-cased word adds ±1 to one of `dims` buckets), scaled
 * to unit length. Texts that share words are near, texts that share none are orthogonal (up to collisions), which
 * is what recall tests need from a real model.
 */
export function hashedEmbedding(text: string, dims = SCRIPTED_EMBEDDING_DIMS): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('sha1').update(word).digest();
    vector[digest.readUInt32BE(0) % dims]! += digest[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  // An empty text still gets a unit vector (providers never answer with zeros).
  return norm === 0 ? vector.map((_, i) => (i === 0 ? 1 : 0)) : vector.map((v) => v / norm);
}

function dimsOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 4096 ? value : SCRIPTED_EMBEDDING_DIMS;
}

/**
 * OpenAI's POST /embeddings (Ollama, LM Studio and vLLM serve the same): `input` is a string or a list of them;
 * `encoding_format: "base64"` (what the SDK asks for by default) returns little-endian float32 bytes in base64.
 */
export function openaiEmbeddingsReply(res: ServerResponse, body: Record<string, unknown>): void {
  const raw = body['input'];
  const inputs = Array.isArray(raw) ? raw.map(String) : [String(raw ?? '')];
  const dims = dimsOf(body['dimensions']);
  const base64 = body['encoding_format'] === 'base64';
  sendJson(res, 200, {
    object: 'list',
    model: String(body['model'] ?? 'text-embedding-3-small'),
    data: inputs.map((text, index) => {
      const values = hashedEmbedding(text, dims);
      return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values };
    }),
    usage: { prompt_tokens: inputs.join(' ').split(/\s+/).length, total_tokens: inputs.join(' ').split(/\s+/).length },
  });
}

/** Gemini's POST models/{model}:batchEmbedContents (what @google/genai's embedContent calls): one embedding per request. */
export function geminiBatchEmbedReply(res: ServerResponse, body: Record<string, unknown>): void {
  const requests = Array.isArray(body['requests']) ? (body['requests'] as Record<string, unknown>[]) : [];
  sendJson(res, 200, {
    embeddings: requests.map((request) => {
      const content = request['content'] as { parts?: { text?: string }[] } | undefined;
      const text = (content?.parts ?? []).map((p) => p.text ?? '').join('');
      return { values: hashedEmbedding(text, dimsOf(request['outputDimensionality'])) };
    }),
  });
}
