import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { CoreApi } from '../api/router.js';
import { serveSocket } from '../transport/socket-connection.js';

export interface ServeOptions {
  core: CoreApi;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port: number;
  /** Fixed token for tests; a random one is made per start otherwise. */
  token?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** Stops listening and closes every connection, open sockets included, so the process can end at once. */
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const SOCKET_PATH = '/ws';

/**
 * Headless serve mode: the built renderer and the contract over a WebSocket, on loopback only. The socket
 * requires the per-start token from the printed URL and a same-origin page, so other local pages cannot drive it.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const indexFile = path.join(options.rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`The built renderer was not found in ${options.rendererDir}. Run "npm run build" first.`);
  }
  // The packaged page carries the desktop app's CSP (no sockets at all); here the header below is the policy.
  const page = withoutMetaCsp(readFileSync(indexFile, 'utf8'));
  const token = options.token ?? randomBytes(24).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let origin = '';

  // Every connection, whatever became of it (idle keep-alive, refused or accepted upgrade), so none outlives close().
  const connections = new Set<Socket>();
  let stopping = false;
  app.server.on('connection', (socket: Socket) => {
    if (stopping) return void socket.destroy();
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });

  app.addHook('onRequest', async (request, reply) => {
    // Refuse other Host names: a DNS-rebinding page would arrive with its own.
    const { host, port } = new URL(origin);
    if (request.headers.host !== host && request.headers.host !== `localhost:${port}`) {
      return reply.code(421).send('Misdirected request');
    }
    // Upgrades are judged here, during the handshake: a refusal is an HTTP status, never a 101 and a close after.
    // A plain GET of the socket's address gets the same answer, so the page can tell a refused token from a restart.
    if (isUpgrade(request.raw) || new URL(request.url, origin).pathname === SOCKET_PATH) {
      const refusal = socketRefusal(request, token, origin);
      if (refusal) return reply.code(refusal.status).send(refusal.message);
    }
  });
  // A refused upgrade's socket is not the server's to reuse: it is closed once the refusal is written.
  app.addHook('onResponse', async (request) => {
    if (isUpgrade(request.raw)) request.raw.socket.destroy();
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy(origin));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 8 * 1024 * 1024 } });
  await app.register(fastifyStatic, { root: options.rendererDir, index: false });

  const sendPage = (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').send(page);
  app.get('/', sendPage);
  app.get('/index.html', sendPage);
  app.route({
    method: 'GET',
    url: SOCKET_PATH,
    // Reached only with a valid token (see above): the page asks this when its socket would not open.
    handler: (_request, reply) => reply.code(426).header('upgrade', 'websocket').send('Upgrade Required'),
    wsHandler: (socket) => {
      // A broken connection must end that socket only, never the server.
      socket.on('error', (error) => options.log?.(`socket error: ${error.message}`));
      serveSocket(options.core, socket);
    },
  });
  app.get('/healthz', async () => ({ ok: true }));

  await app.listen({ host: LOOPBACK, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `http://${LOOPBACK}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    async close() {
      stopping = true;
      for (const client of app.websocketServer.clients) client.close(1001, 'Coda Agent stopped');
      for (const socket of connections) socket.destroy();
      await app.close();
    },
  };
}

function isUpgrade(request: IncomingMessage): boolean {
  return request.headers.upgrade !== undefined;
}

/** Why a request may not become a socket, as the HTTP status that says so; null when it may. */
function socketRefusal(request: FastifyRequest, token: string, origin: string): { status: number; message: string } | null {
  const url = new URL(request.url, origin);
  if (url.pathname !== SOCKET_PATH) return { status: 404, message: 'Not found' };
  const expected = Buffer.from(token);
  const actual = Buffer.from(url.searchParams.get('token') ?? '');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { status: 401, message: 'A valid token is required: open the address serve mode printed.' };
  }
  // Browsers always send Origin on WebSocket upgrades; non-browser clients (the CLI, tests) may omit it.
  const requestOrigin = request.headers.origin;
  if (requestOrigin !== undefined && requestOrigin !== origin && requestOrigin !== origin.replace(LOOPBACK, 'localhost')) {
    return { status: 403, message: 'Only the page served here may connect.' };
  }
  return null;
}

/** The page without its <meta http-equiv="Content-Security-Policy">: two policies would both apply, the stricter winning. */
export function withoutMetaCsp(html: string): string {
  return html.replace(/<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>\s*/gi, '');
}

export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${ws} ${ws.replace(LOOPBACK, 'localhost')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
