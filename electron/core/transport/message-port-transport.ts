import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The little a message channel must offer to carry MCP: Electron's utility process and its `process.parentPort`
 * fit (see the adapters below), and so does Node's MessagePort in tests. Messages are structured-cloned objects.
 */
export interface MessageEndpoint {
  post(message: JSONRPCMessage): void;
  /** Starts delivering messages and the end of the channel; returns what stops listening. */
  listen(onMessage: (data: unknown) => void, onEnd: () => void): () => void;
  /** Settles once the other side can receive (a process has spawned); rejects if it never will. */
  ready?: Promise<void>;
  /** Ends the channel from this side (the parent kills the process). */
  close?(): void;
}

/**
 * MCP over a message channel instead of stdio: how the desktop app talks to its built-in tool server, which runs as
 * an Electron utility process (no ELECTRON_RUN_AS_NODE, so that fuse can be off). Incoming messages are checked
 * against the JSON-RPC schema as the stdio transport does; anything else is reported, never passed on.
 */
export class MessagePortTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private stopListening: (() => void) | null = null;
  private ended = false;

  constructor(private readonly endpoint: MessageEndpoint) {}

  async start(): Promise<void> {
    if (this.stopListening) throw new Error('MessagePortTransport already started.');
    this.stopListening = this.endpoint.listen(
      (data) => {
        const parsed = JSONRPCMessageSchema.safeParse(data);
        if (parsed.success) this.onmessage?.(parsed.data);
        else this.onerror?.(new Error('A message on the channel was not JSON-RPC; it was dropped.'));
      },
      () => this.end(),
    );
    await this.endpoint.ready;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.ended) throw new Error('The channel is closed.');
    this.endpoint.post(message);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.endpoint.close?.();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopListening?.();
    this.onclose?.();
  }
}

/** What the desktop app's main process holds of a utility process (Electron's `UtilityProcess`, described here so core never imports electron). */
export interface UtilityProcessLike {
  postMessage(message: JSONRPCMessage): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'exit', listener: (code: number) => void): unknown;
}

/** The parent's end of a utility process: it is ready once spawned, and ends when the process exits. */
export function utilityProcessEndpoint(child: UtilityProcessLike): MessageEndpoint {
  let spawned = false;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('spawn', () => {
      spawned = true;
      resolve();
    });
    child.on('exit', (code) => {
      if (!spawned) reject(new Error(`The process exited with code ${code} before it started.`));
    });
  });
  ready.catch(() => undefined);
  return {
    post: (message) => child.postMessage(message),
    listen(onMessage, onEnd) {
      const onExit = () => onEnd();
      child.on('message', onMessage);
      child.on('exit', onExit);
      return () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
    },
    ready,
    close: () => void child.kill(),
  };
}

/** Electron's `process.parentPort` in a utility process: messages arrive wrapped in an event. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** The child's end of the channel when this process is an Electron utility process; null in plain Node. */
export function parentPortEndpoint(host: object = process): MessageEndpoint | null {
  const port: unknown = Reflect.get(host, 'parentPort');
  if (!isParentPort(port)) return null;
  return {
    post: (message) => port.postMessage(message),
    listen(onMessage) {
      // The parent going away ends this process (Electron sees to it), so there is no end to report.
      const listener = (event: { data: unknown }) => onMessage(event.data);
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

function isParentPort(value: unknown): value is ParentPortLike {
  return (
    typeof value === 'object' && value !== null && typeof Reflect.get(value, 'postMessage') === 'function' && typeof Reflect.get(value, 'on') === 'function'
  );
}
