import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodaError } from '../../../../../../shared/index.js';

export const CALLBACK_PATH = '/oauth/callback';

/** A free port on 127.0.0.1, chosen by the OS. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The redirect target of a native app's OAuth sign-in (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 that waits
 * for the one redirect carrying the expected `state`, answers the browser with a short page, and closes.
 */
export class LoopbackReceiver {
  private server: Server | null = null;
  readonly code: Promise<string>;
  private settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly port: number,
    private readonly state: string,
    private readonly serverLabel: string,
  ) {
    this.code = new Promise<string>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Nobody may be awaiting yet (the app signs in in the background); the failure is read where it is awaited.
    this.code.catch(() => undefined);
  }

  async listen(timeoutMs: number): Promise<void> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${this.port}`);
      if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      if (url.searchParams.get('state') !== this.state) {
        // Not the sign-in Coda started (an old tab, or another site probing): refuse it and keep waiting.
        this.page(response, 400, 'This sign-in link is not the one Coda is waiting for. Start the sign-in again from Coda.');
        return;
      }
      const error = url.searchParams.get('error');
      if (error) {
        const description = url.searchParams.get('error_description');
        this.page(response, 400, `Sign-in to ${this.serverLabel} did not succeed. You can close this tab and try again from Coda.`);
        this.finish(new CodaError('sign_in_required', `Signing in to "${this.serverLabel}" failed: ${description ? `${error} (${description})` : error}.`));
        return;
      }
      const code = url.searchParams.get('code');
      if (!code) {
        this.page(response, 400, 'The sign-in answer carried no authorization code.');
        return;
      }
      this.page(response, 200, `Signed in to ${this.serverLabel}. You can close this tab and return to Coda.`);
      this.finish(code);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new CodaError(
            'internal',
            error.code === 'EADDRINUSE'
              ? `Port ${this.port} on 127.0.0.1 is taken, so the sign-in answer cannot be received; close what uses it, or choose another callback port for "${this.serverLabel}".`
              : `The sign-in listener could not start: ${error.message}`,
          ),
        ),
      );
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.timer = setTimeout(
      () =>
        this.finish(
          new CodaError('timeout', `Sign-in to "${this.serverLabel}" was not finished within ${Math.round(timeoutMs / 60_000)} minutes; start it again.`),
        ),
      timeoutMs,
    );
    this.timer.unref();
  }

  /** Stops waiting (the server was removed, restarted or Coda is quitting). */
  cancel(): void {
    this.finish(new CodaError('cancelled', `Sign-in to "${this.serverLabel}" was cancelled.`));
  }

  private finish(outcome: string | Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (typeof outcome === 'string') this.settle.resolve(outcome);
    else this.settle.reject(outcome);
    const server = this.server;
    this.server = null;
    // Let the answer page reach the browser before the socket goes.
    server?.close();
    server?.closeAllConnections();
  }

  private page(response: ServerResponse, status: number, text: string): void {
    response
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'cache-control': 'no-store',
      })
      .end(
        `<!doctype html><meta charset="utf-8"><title>Coda Agent</title><body style="font:16px system-ui;margin:4rem auto;max-width:32rem;color:#222"><h1 style="font-size:1.3rem">Coda Agent</h1><p>${escapeHtml(text)}</p></body>`,
      );
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
