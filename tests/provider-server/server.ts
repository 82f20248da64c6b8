import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpenAIScript, ScriptStep } from './openai-script.js';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * A local HTTP server that answers like the providers' real APIs (status codes, headers, SSE framing), replaying
 * scripts queued by the test. The real SDKs are pointed at it by base URL.
 */
export class ScriptedProviderServer {
  readonly requests: RecordedRequest[] = [];
  private readonly streamQueue: OpenAIScript[] = [];
  private readonly completionQueue: OpenAIScript[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Base URL for the OpenAI SDK. */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Queues a reply for the next streamed chat request. */
  enqueue(...scripts: OpenAIScript[]): void {
    this.streamQueue.push(...scripts);
  }

  /** Queues a reply for the next non-streamed chat request (titles and other housekeeping). */
  enqueueCompletion(...scripts: OpenAIScript[]): void {
    this.completionQueue.push(...scripts);
  }

  get pending(): number {
    return this.streamQueue.length + this.completionQueue.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    this.requests.push({ path: req.url ?? '', headers: req.headers, body });
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      const streamed = body['stream'] === true;
      const script = (streamed ? this.streamQueue : this.completionQueue).shift();
      if (!script) return sendError(res, streamed ? 500 : 503, 'The scripted provider has no reply queued for this request.', 'server_error');
      return this.answerOpenAI(res, script, String(body['model'] ?? 'model'));
    }
    sendError(res, 404, `Unknown path ${req.url}`, 'invalid_request_error');
  }

  private async answerOpenAI(res: ServerResponse, script: OpenAIScript, model: string): Promise<void> {
    if (script.kind === 'error') return sendError(res, script.status, script.message, script.type ?? 'api_error', script.headers);
    if (script.kind === 'completion') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(completionBody(model, script.text)));
      return;
    }
    if (script.headerDelayMs) await sleep(script.headerDelayMs);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    send(chunk(id, model, { role: 'assistant', content: '' }));
    for (const [index, step] of script.steps.entries()) {
      if (script.disconnectAfter !== undefined && index >= script.disconnectAfter) return cutOff(res);
      if (script.stepDelayMs) await sleep(script.stepDelayMs);
      if (res.destroyed) return;
      writeStep(res, id, model, step, index, send);
      if ('wait' in step) await sleep(step.wait);
    }
    if (script.disconnectAfter !== undefined) return cutOff(res);
    const hasToolCalls = script.steps.some((s) => 'toolCall' in s);
    send({ ...chunk(id, model, {}), choices: [{ index: 0, delta: {}, finish_reason: hasToolCalls ? 'tool_calls' : 'stop' }] });
    if (script.usage) {
      const u = script.usage;
      send({
        id,
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: {
          prompt_tokens: u.prompt,
          completion_tokens: u.completion,
          total_tokens: u.prompt + u.completion,
          prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
          completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
        },
      });
    }
    res.end('data: [DONE]\n\n');
  }
}

function writeStep(res: ServerResponse, id: string, model: string, step: ScriptStep, index: number, send: (p: unknown) => void): void {
  if ('text' in step) send(chunk(id, model, { content: step.text }));
  else if ('reasoning' in step) send(chunk(id, model, { reasoning_content: step.reasoning }));
  else if ('toolCall' in step) {
    const call = step.toolCall;
    send(chunk(id, model, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] }));
  } else if ('raw' in step) res.write(`data: ${step.raw}\n\n`);
}

/** Drops the connection without ending the response, after what was written so far has reached the client. */
async function cutOff(res: ServerResponse): Promise<void> {
  await sleep(50);
  res.socket?.destroy();
}

function chunk(id: string, model: string, delta: Record<string, unknown>) {
  return { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: null }] };
}

function completionBody(model: string, text: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
  };
}

function sendError(res: ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsable: text };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
