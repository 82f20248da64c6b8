import { ThinkingLevel, type Content, type GenerateContentResponseUsageMetadata, type Part, type ThinkingConfig } from '@google/genai';
import type { Usage } from '../../../shared/index.js';
import { budgetOf } from './thinking.js';
import type { ChatTurn, ThinkingSetting } from './types.js';

/** Conversions between Coda's provider-neutral request and Gemini's generateContent shapes. */

/** Gemini counts thoughts apart from candidates but bills them as output; output here includes them, as OpenAI's does. */
export function normalizeGeminiUsage(u: GenerateContentResponseUsageMetadata): Usage {
  const reasoning = u.thoughtsTokenCount ?? 0;
  return {
    inputTokens: u.promptTokenCount ?? 0,
    outputTokens: (u.candidatesTokenCount ?? 0) + reasoning,
    cachedInputTokens: u.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: reasoning,
  };
}

const LEVELS = { low: ThinkingLevel.LOW, medium: ThinkingLevel.MEDIUM, high: ThinkingLevel.HIGH } as const;

/**
 * Gemini's thinkingConfig for a thinking setting. Gemini 2.5 and older take a token budget only; later models take a
 * level (and still accept a budget). Thought summaries are asked for whenever thinking is on, so they stream as
 * reasoning; a budget of 0 turns thinking off, and asking for summaries then is refused by the API.
 */
export function geminiThinking(model: string, thinking: ThinkingSetting | undefined): ThinkingConfig | undefined {
  if (!thinking) return undefined;
  if ('effort' in thinking && !/^(models\/)?gemini-[12][.-]/.test(model)) return { thinkingLevel: LEVELS[thinking.effort], includeThoughts: true };
  const budget = budgetOf(thinking);
  return budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
}

/**
 * The conversation as Gemini contents. The system prompt travels apart (systemInstruction), tool results go back as
 * user functionResponse parts named after their call, and each call keeps its thought signature in its place: Gemini 3
 * refuses the next step of a function-calling turn without it.
 */
export function toGeminiContents(turns: ChatTurn[]): Content[] {
  const out: Content[] = [];
  const calls = new Map<string, { name: string; providerId: string | undefined }>();
  const push = (role: 'user' | 'model', parts: Part[]) => {
    const last = out.at(-1);
    if (last && last.role === role) last.parts?.push(...parts);
    else out.push({ role, parts });
  };
  for (const turn of turns) {
    if (turn.role === 'system') continue;
    if (turn.role === 'user') push('user', [{ text: turn.content }]);
    else if (turn.role === 'assistant') {
      const parts: Part[] = turn.content ? [{ text: turn.content }] : [];
      for (const call of turn.toolCalls ?? []) {
        const providerId = call.id.startsWith(OWN_ID_PREFIX) ? undefined : call.id;
        calls.set(call.id, { name: call.name, providerId });
        parts.push({
          functionCall: { name: call.name, args: parseObject(call.arguments), ...(providerId ? { id: providerId } : {}) },
          ...(call.signature ? { thoughtSignature: call.signature } : {}),
        });
      }
      push('model', parts);
    } else {
      const call = calls.get(turn.toolCallId);
      // Gemini's convention: the result under "output", a failure under "error".
      const response = turn.isError ? { error: turn.content } : { output: turn.content };
      push('user', [{ functionResponse: { name: call?.name ?? turn.name, response, ...(call?.providerId ? { id: call.providerId } : {}) } }]);
    }
  }
  return out;
}

/** Ids Coda gives calls that came without one (Gemini's calls often have none); they are never sent back. */
export const OWN_ID_PREFIX = 'gemini_call_';

/** The system turns, joined, for systemInstruction. */
export function systemText(turns: ChatTurn[]): string {
  return turns.flatMap((t) => (t.role === 'system' ? [t.content] : [])).join('\n\n');
}

/** The JSON Schema keys Gemini's OpenAPI-subset schema accepts; others (like $schema or additionalProperties) make it refuse the request. */
const GEMINI_SCHEMA_KEYS = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'minItems',
  'maxItems',
  'anyOf',
  'minimum',
  'maximum',
]);

export function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!GEMINI_SCHEMA_KEYS.has(key)) continue;
    if (key === 'type' && Array.isArray(value)) {
      // ["string", "null"] becomes a nullable string.
      const types = value.filter((t) => t !== 'null');
      out['type'] = String(types[0] ?? 'string').toUpperCase();
      if (types.length < value.length) out['nullable'] = true;
    } else if (key === 'type') out['type'] = String(value).toUpperCase();
    else if (key === 'properties' && value && typeof value === 'object') {
      out['properties'] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGeminiSchema(sub)]));
    } else out[key] = key === 'items' || key === 'anyOf' ? toGeminiSchema(value) : value;
  }
  return out;
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
