import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { ScriptedProviderServer } from '../../tests/provider-server/server.js';
import type { ProviderSpec } from './stream-harness.js';

/** The time-to-first-token baseline (bench/lib/stream-ttft.ts): each provider's SDK called without the app. */

export type Turn = { role: 'user' | 'assistant'; content: string };

/** Text deltas from the provider's SDK, called as the adapter calls it (same client options and request shape). */
export type SdkStreamer = (turns: Turn[], signal: AbortSignal) => AsyncIterable<string>;

export function sdkStreamer(server: ScriptedProviderServer, p: ProviderSpec): SdkStreamer {
  const timeout = 10 * 60_000;
  switch (p.id) {
    case 'openai': {
      const client = new OpenAI({ apiKey: 'sk-test-openai', baseURL: `${server.url}/v1`, maxRetries: 0, timeout });
      return async function* (turns, signal) {
        const stream = await client.chat.completions.create(
          { model: p.model, messages: turns.map((t) => ({ role: t.role, content: t.content })), stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta.content;
          if (delta) yield delta;
        }
      };
    }
    case 'anthropic': {
      const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0, timeout });
      return async function* (turns, signal) {
        const messages = turns.map((t) => ({ role: t.role, content: [{ type: 'text' as const, text: t.content }] }));
        const stream = await client.messages.create({ model: p.model, max_tokens: 8192, messages, stream: true }, { signal });
        for await (const event of stream) {
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') yield event.delta.text;
        }
      };
    }
    case 'gemini': {
      const client = new GoogleGenAI({
        vertexai: false,
        apiKey: 'gemini-test-key',
        apiVersion: 'v1beta',
        httpOptions: { baseUrl: server.url, apiVersion: 'v1beta' },
      });
      return async function* (turns, signal) {
        const contents = turns.map((t) => ({ role: t.role === 'user' ? 'user' : 'model', parts: [{ text: t.content }] }));
        const stream = await client.models.generateContentStream({ model: p.model, contents, config: { abortSignal: signal } });
        for await (const chunk of stream) {
          for (const part of chunk.candidates?.[0]?.content?.parts ?? []) if (part.text) yield part.text;
        }
      };
    }
  }
}
