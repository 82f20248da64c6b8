import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createCodaToolServer } from '../tools/builtin/server.js';
import { builtinServerConfig, type BuiltinLaunch, type BuiltinServerLauncher } from '../tools/builtin-config.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { MessagePortTransport, parentPortEndpoint, utilityProcessEndpoint, type MessageEndpoint, type UtilityProcessLike } from './message-port-transport.js';

/** The built-in server's entry, which is also its math worker. */
const mathWorkerUrl = new URL('../tools/builtin/main.ts', import.meta.url);
const asUtilityProcess = fileURLToPath(new URL('../../../tests/fixtures/as-utility-process.ts', import.meta.url));

/** Node's MessagePort as an endpoint: structured clone, as Electron's ports. */
function nodePortEndpoint(port: MessagePort): MessageEndpoint {
  return {
    post: (message) => port.postMessage(message),
    listen(onMessage, onEnd) {
      port.on('message', onMessage);
      port.once('close', onEnd);
      return () => port.off('message', onMessage);
    },
    close: () => port.close(),
  };
}

/** A forked Node process as Electron's UtilityProcess looks from the main process. */
function utilityProcessOf(child: ChildProcess): UtilityProcessLike {
  const events: EventEmitter = child;
  return {
    postMessage: (message) => void child.send(message),
    kill: () => child.kill(),
    on: events.on.bind(events),
    off: events.off.bind(events),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('MCP over a message channel', () => {
  it('connects a client to the built-in server and calls a tool', async () => {
    const { port1, port2 } = new MessageChannel();
    await createCodaToolServer({ mathWorkerUrl }).connect(new MessagePortTransport(nodePortEndpoint(port2)));
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new MessagePortTransport(nodePortEndpoint(port1)));
    cleanups.push(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('evaluate_math');
    const result = await client.callTool({ name: 'evaluate_math', arguments: { expression: '6 * 7' } });
    expect(result.structuredContent).toMatchObject({ value: 42 });
  });

  it('drops a message that is not JSON-RPC, reports it, and keeps serving', async () => {
    const { port1, port2 } = new MessageChannel();
    const serverTransport = new MessagePortTransport(nodePortEndpoint(port2));
    const errors: string[] = [];
    await createCodaToolServer({ mathWorkerUrl }).connect(serverTransport);
    serverTransport.onerror = (error) => errors.push(error.message);
    port1.postMessage({ hello: 'not json-rpc', run: 'rm -rf /' });
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new MessagePortTransport(nodePortEndpoint(port1)));
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(errors).toEqual(['A message on the channel was not JSON-RPC; it was dropped.']);
  });

  it("reads a utility process's parent port, whose messages come wrapped in an event", async () => {
    expect(parentPortEndpoint({})).toBeNull();
    const port = Object.assign(new EventEmitter(), { posted: [] as unknown[], postMessage: (m: unknown) => port.posted.push(m) });
    const endpoint = parentPortEndpoint({ parentPort: port });
    const received: unknown[] = [];
    const stop = endpoint?.listen(
      (data) => received.push(data),
      () => undefined,
    );
    port.emit('message', { data: { jsonrpc: '2.0', method: 'ping', id: 1 } });
    endpoint?.post({ jsonrpc: '2.0', result: {}, id: 1 });
    stop?.();
    port.emit('message', { data: 'after stop' });
    expect(received).toEqual([{ jsonrpc: '2.0', method: 'ping', id: 1 }]);
    expect(port.posted).toEqual([{ jsonrpc: '2.0', result: {}, id: 1 }]);
  });

  it('fails to start, with the exit code, when the process exits before it spawned', async () => {
    const child = Object.assign(new EventEmitter(), { postMessage: () => undefined, kill: () => true });
    const transport = new MessagePortTransport(utilityProcessEndpoint(child));
    let closed = false;
    transport.onclose = () => (closed = true);
    const starting = transport.start();
    child.emit('exit', 9);
    await expect(starting).rejects.toThrow('exited with code 9 before it started');
    expect(closed).toBe(true);
  });
});

describe('the built-in server started as a utility process', () => {
  /** Starts the real entry (tools/builtin/main.ts) in a process that has a parent port, as the desktop app does. */
  const launched: { launch: BuiltinLaunch; child: ChildProcess }[] = [];
  const launcher: BuiltinServerLauncher = (launch) => {
    const child = fork(asUtilityProcess, [launch.script], {
      execArgv: launch.execArgv,
      env: launch.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    launched.push({ launch, child });
    return { transport: new MessagePortTransport(utilityProcessEndpoint(utilityProcessOf(child))), stderr: child.stderr };
  };

  it('serves its tools over the port, gets no provider keys, and is seen to fail when the process dies', { timeout: 60_000 }, async () => {
    process.env['OPENAI_API_KEY'] = 'sk-never-for-tool-servers';
    cleanups.push(() => void delete process.env['OPENAI_API_KEY']);
    const registry = new ToolRegistry(() => [builtinServerConfig(launcher)]);
    cleanups.push(() => registry.close());

    const { definitions } = await registry.definitions(['coda']);
    expect(definitions.map((d) => d.name)).toContain('coda__evaluate_math');
    const call = await registry.execute('coda__evaluate_math', '{"expression":"2^10"}', new AbortController().signal);
    expect(call.output).toMatchObject({ value: 1024 });

    const [first] = launched;
    expect(first?.launch.env['PATH']).toBe(process.env['PATH']);
    expect(first?.launch.env).not.toHaveProperty('OPENAI_API_KEY');

    first?.child.kill('SIGKILL');
    await expect.poll(() => registry.status('coda').status).toBe('failed');
  });
});
