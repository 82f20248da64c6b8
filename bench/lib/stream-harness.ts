import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CodaClient, type RunEnd, type RunEvent, type Session } from '../../shared/index.js';
import type { Core } from '../../electron/core/core.js';
import type { RunningServer } from '../../electron/core/serve/serve.js';
import { connectInMemory } from '../../electron/core/transport/in-memory.js';
import { connectWebSocket as connectSocket } from '../../tests/helpers/ws-client.js';
import type { ProviderName } from '../../tests/provider-server/script.js';
import type { ScriptedProviderServer } from '../../tests/provider-server/server.js';

/**
 * What the stream benchmark (bench/stream.ts) runs against, shared by its measures: the providers, the clients
 * the renderer would use (a WebSocket to serve mode, or in memory), sessions, and following a run as the renderer does.
 */

export interface ProviderSpec {
  id: ProviderName;
  model: string;
}

export const PROVIDERS: readonly ProviderSpec[] = [
  { id: 'openai', model: 'gpt-4.1-mini' },
  { id: 'anthropic', model: 'claude-sonnet-4-6' },
  { id: 'gemini', model: 'gemini-2.5-flash' },
];

export const log = (line: string) => console.log(line);

export interface Client {
  client: CodaClient;
  close(): Promise<void>;
}

export interface Bench {
  core: Core;
  provider: ScriptedProviderServer;
  ws: Client;
  memory: Client;
}

/** Serve mode needs a built renderer; without one a placeholder page will do, since only the socket is used. */
export async function rendererDir(builtRendererDir: string): Promise<{ dir: string; temporary: boolean }> {
  if (existsSync(path.join(builtRendererDir, 'index.html'))) return { dir: builtRendererDir, temporary: false };
  const dir = await mkdtemp(path.join(tmpdir(), 'coda-bench-renderer-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>bench</title>\n');
  return { dir, temporary: true };
}

/** The shared socket client over a real WebSocket to serve mode, as the renderer's ws-bridge drives it. */
export async function connectWebSocket(server: RunningServer): Promise<Client> {
  const { client, close } = await connectSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  // Like the renderer, follow app events (sidebar updates) on the same socket.
  client.onApp(() => {});
  return { client, close };
}

export function connectMemory(core: Core): Client {
  const { client, disconnect } = connectInMemory(core);
  const typed = new CodaClient(client);
  typed.onApp(() => {});
  return { client: typed, close: async () => disconnect() };
}

export function newSession(core: Core, p: ProviderSpec, title: string): Promise<Session> {
  // A user title, so no title is generated in the background after the first answer.
  return new CodaClient(core).call('sessions.create', { title, settings: { provider: p.id, model: p.model } });
}

/** The scripted server keeps every request it got (bodies of 160 kB with the long history); that is not the app's memory. */
export function forgetRequests(server: ScriptedProviderServer): void {
  server.requests.length = 0;
}

/**
 * What the renderer does: chat.send, then follow the run from seq 0 (events sent before the subscription are
 * replayed). Resolves with the run's last event and the assistant message id.
 */
export async function followRun(
  client: CodaClient,
  input: { sessionId: string; text: string; parentId?: string },
  onEvent: (event: RunEvent) => void,
): Promise<{ end: RunEnd; assistantId: string }> {
  const { runId, assistantMessage } = await client.call('chat.send', input);
  const end = await client.followRun(runId, { onEvent });
  if (end.type === 'error') throw new Error(`The run failed: ${end.error.code}: ${end.error.message}`);
  return { end, assistantId: assistantMessage.id };
}
