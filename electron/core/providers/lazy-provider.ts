import type { ChatProvider, ChatRequest, CountRequest, ModelListing, ProviderStreamEvent } from './types.js';

/**
 * A provider whose adapter (and so its SDK) is loaded on first use. The SDKs take a good part of a second to load
 * together, and a command or an answer needs at most the one it talks to; the rest never load.
 */
export class LazyProvider implements ChatProvider {
  private loading: Promise<ChatProvider> | null = null;
  /** Present exactly when the adapter has it (Gemini): estimates ask `countTokens` before loading anything. */
  readonly countTokens?: (request: CountRequest) => Promise<number>;

  constructor(
    readonly id: string,
    private readonly load: () => Promise<ChatProvider>,
    options: { countsTokens: boolean },
  ) {
    if (options.countsTokens) {
      this.countTokens = async (request) => {
        const adapter = await this.adapter();
        if (!adapter.countTokens) throw new Error(`${id} cannot count tokens.`);
        return adapter.countTokens(request);
      };
    }
  }

  async *stream(request: ChatRequest): AsyncIterable<ProviderStreamEvent> {
    yield* (await this.adapter()).stream(request);
  }

  async complete(request: ChatRequest): Promise<string> {
    return (await this.adapter()).complete(request);
  }

  async listModels(signal: AbortSignal): Promise<ModelListing[]> {
    return (await this.adapter()).listModels(signal);
  }

  private adapter(): Promise<ChatProvider> {
    // A load that failed is tried again on the next use rather than remembered.
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }
}
