import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyRequest } from 'fastify';
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
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/**
 * Headless serve mode: the built renderer and the contract over a WebSocket, on loopback only. The socket
 * requires the per-start token from the printed URL and a same-origin page, so other local pages cannot drive it.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (!existsSync(path.join(options.rendererDir, 'index.html'))) {
    throw new Error(`The built renderer was not found in ${options.rendererDir}. Run "npm run build" first.`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let origin = '';

  app.addHook('onRequest', async (request, reply) => {
    // Refuse other Host names: a DNS-rebinding page would arrive with its own.
    if (request.headers.host !== new URL(origin).host && request.headers.host !== `localhost:${new URL(origin).port}`) {
      return reply.code(421).send('Misdirected request');
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy(origin));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 8 * 1024 * 1024 } });
  await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'] });

  app.get('/ws', { websocket: true }, (socket, request) => {
    if (!isAuthorized(request, token, origin)) {
      socket.close(4401, 'A valid token and same-origin page are required');
      return;
    }
    // A broken connection must end that socket only, never the server.
    socket.on('error', (error) => options.log?.(`socket error: ${error.message}`));
    serveSocket(options.core, socket);
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
    close: () => app.close(),
  };
}

function isAuthorized(request: FastifyRequest, token: string, origin: string): boolean {
  const given = new URL(request.url, origin).searchParams.get('token') ?? '';
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  const tokenOk = actual.length === expected.length && timingSafeEqual(actual, expected);
  // Browsers always send Origin on WebSocket upgrades; non-browser clients (the CLI, tests) may omit it.
  const requestOrigin = request.headers.origin;
  const originOk = requestOrigin === undefined || requestOrigin === origin || requestOrigin === origin.replace(LOOPBACK, 'localhost');
  return tokenOk && originOk;
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
