import { CodaError } from '../../../../shared/index.js';
import type { Scrubber } from '../secrets/scrubber.js';
import type { ConnectionServices, ElicitationRequest } from './services.js';
import type { McpPrompt, McpResource, McpTool, OriginChange, SignInState, SourceStatus, ToolCallOutcome, ToolSource } from './source.js';

/**
 * Every text that leaves a tool source, with the server's own secret values replaced (see secrets/scrubber.ts):
 * tool results (text and structured content), errors (which quote the last output of a command that failed), the
 * descriptions of its tools, prompts and resources, a prompt's or resource's text, and its questions to the user.
 * One decorator over every kind of source, so the registry (and through it Settings, the chat and the model) only
 * ever sees scrubbed text. Names and addresses the source is called back with (a tool's name, a resource's URI)
 * are passed back as the source gave them.
 */
export class ScrubbingSource implements ToolSource {
  /** Resource URIs as shown (scrubbed) → as the source gave them, so a shown URI can still be read. */
  private readonly uris = new Map<string, string>();

  /** `scrubber` is asked afresh for each request: a sign-in may have brought new tokens meanwhile. */
  constructor(
    private readonly inner: ToolSource,
    private readonly scrubber: () => Scrubber,
  ) {}

  get status(): SourceStatus {
    return this.inner.status;
  }

  get oauth(): SignInState | null {
    return this.inner.oauth ?? null;
  }

  get originChange(): OriginChange | null {
    return this.inner.originChange ?? null;
  }

  get onChange(): (() => void) | null {
    return this.inner.onChange;
  }

  set onChange(listener: (() => void) | null) {
    this.inner.onChange = listener;
  }

  start(refresh?: boolean): Promise<void> {
    return this.guard(() => this.inner.start(refresh));
  }

  async tools(): Promise<McpTool[]> {
    const tools = await this.guard(() => this.inner.tools());
    const s = this.scrubber();
    return tools.map((tool) => ({ ...tool, description: s.text(tool.description), inputSchema: s.value(tool.inputSchema) }));
  }

  async call(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<ToolCallOutcome> {
    const outcome = await this.guard(() => this.inner.call(name, args, options));
    const s = this.scrubber();
    return { isError: outcome.isError, text: s.text(outcome.text), structured: s.value(outcome.structured), httpStatus: outcome.httpStatus };
  }

  async prompts(): Promise<McpPrompt[]> {
    const prompts = await this.guard(() => this.inner.prompts());
    const s = this.scrubber();
    return prompts.map((prompt) => ({
      ...prompt,
      description: s.text(prompt.description),
      arguments: prompt.arguments.map((arg) => ({ ...arg, description: s.text(arg.description) })),
    }));
  }

  async getPrompt(name: string, args: Record<string, string>): Promise<string> {
    const text = await this.guard(() => this.inner.getPrompt(name, args));
    return this.scrubber().text(text);
  }

  async resources(): Promise<McpResource[]> {
    const resources = await this.guard(() => this.inner.resources());
    const s = this.scrubber();
    return resources.map((resource) => {
      const uri = s.text(resource.uri);
      if (uri !== resource.uri) this.uris.set(uri, resource.uri);
      return { ...resource, uri, name: s.text(resource.name), description: s.text(resource.description) };
    });
  }

  async readResource(uri: string): Promise<{ text: string; mimeType: string | null }> {
    const read = await this.guard(() => this.inner.readResource(this.uris.get(uri) ?? uri));
    return { ...read, text: this.scrubber().text(read.text) };
  }

  close(): Promise<void> {
    return this.guard(() => this.inner.close());
  }

  /** Runs a request of the source; what it throws is thrown scrubbed (the registry keeps it as the server's failure). */
  private async guard<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw scrubbedError(error, this.scrubber());
    }
  }
}

/** The same error with its message (and details) scrubbed; the very same error when there was nothing to replace. */
export function scrubbedError(error: unknown, s: Scrubber): unknown {
  if (s.empty) return error;
  if (error instanceof CodaError) {
    const message = s.text(error.message);
    const details = s.value(error.details);
    return message === error.message && JSON.stringify(details) === JSON.stringify(error.details) ? error : new CodaError(error.code, message, details);
  }
  if (error instanceof Error) {
    const message = s.text(error.message);
    // Not with its cause: a library's cause may quote the request it failed on, secrets and all.
    return message === error.message ? error : new Error(message);
  }
  return typeof error === 'string' ? s.text(error) : error;
}

/** The host's services as a source sees them: its questions to the user are scrubbed like everything else it sends. */
export function scrubbingServices(services: ConnectionServices, scrubber: () => Scrubber): ConnectionServices {
  const elicit = services.elicit?.bind(services);
  if (!elicit) return services;
  return {
    ...services,
    elicit: (request: ElicitationRequest, signal: AbortSignal) => {
      const s = scrubber();
      return elicit({ ...request, message: s.text(request.message), requestedSchema: s.value(request.requestedSchema) }, signal);
    },
  };
}
