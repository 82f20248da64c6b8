import type { McpPrompt, McpResource, McpTool, OriginChange, SignInState, SourceStatus, ToolCallOutcome, ToolSource } from './source.js';

/**
 * A source whose module (the MCP SDK's client and transports, or the OpenAPI parser) is loaded when it starts, not
 * when core opens: a command that never starts a server never loads them. Until then it is a stopped source.
 */
export class LazySource implements ToolSource {
  private source: ToolSource | null = null;
  private loading: Promise<ToolSource> | null = null;
  private changed: (() => void) | null = null;

  constructor(private readonly load: () => Promise<ToolSource>) {}

  get status(): SourceStatus {
    return this.source?.status ?? 'stopped';
  }

  get oauth(): SignInState | null | undefined {
    return this.source?.oauth;
  }

  get originChange(): OriginChange | null {
    return this.source?.originChange ?? null;
  }

  get onChange(): (() => void) | null {
    return this.changed;
  }

  set onChange(listener: (() => void) | null) {
    this.changed = listener;
    if (this.source) this.source.onChange = listener;
  }

  async start(refresh?: boolean): Promise<void> {
    await (await this.loaded()).start(refresh);
  }

  async tools(): Promise<McpTool[]> {
    return (await this.loaded()).tools();
  }

  async call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome> {
    return (await this.loaded()).call(name, args, options);
  }

  async prompts(): Promise<McpPrompt[]> {
    return (await this.loaded()).prompts();
  }

  async getPrompt(name: string, args: Record<string, string>): Promise<string> {
    return (await this.loaded()).getPrompt(name, args);
  }

  async resources(): Promise<McpResource[]> {
    return (await this.loaded()).resources();
  }

  async readResource(uri: string): Promise<{ text: string; mimeType: string | null }> {
    return (await this.loaded()).readResource(uri);
  }

  async close(): Promise<void> {
    // A source still loading is closed once it is there, so a start racing the close cannot leave a process behind.
    const source = this.source ?? (await this.loading?.catch(() => null));
    await source?.close();
  }

  private loaded(): Promise<ToolSource> {
    this.loading ??= this.load().then(
      (source) => {
        source.onChange = this.changed;
        this.source = source;
        return source;
      },
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }
}
