import { z } from 'zod';

/**
 * Reasoning a provider needs back, exactly as it sent it, on the next request of the same tool loop. Anthropic
 * refuses an assistant turn with tool_use after thinking unless it starts with that turn's thinking blocks, in order
 * and unmodified (their signatures are checked), redacted ones included. The readable text also streams as
 * `reasoning` events; these parts are the opaque record kept for replay, never shown to the user.
 * DeepSeek's thinking mode likewise refuses a tool loop whose assistant turns lack their `reasoning_content`.
 * (Gemini's thought signature travels on its tool call instead: `ToolCallRequest.signature`.)
 */
export const ReasoningPart = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anthropic-thinking'), text: z.string(), signature: z.string() }),
  z.object({ kind: z.literal('anthropic-redacted'), data: z.string() }),
  /** An OpenAI-compatible server's `reasoning_content` for the turn (DeepSeek, vLLM, llama.cpp); never OpenAI's own. */
  z.object({ kind: z.literal('reasoning-content'), text: z.string() }),
]);
export type ReasoningPart = z.infer<typeof ReasoningPart>;
