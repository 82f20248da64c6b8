import type { Plugin } from 'vite';

/**
 * The page's Content-Security-Policy, per build. The packaged page (renderer/index.html's <meta>) talks to core
 * over IPC only, so it may open no connection at all. In development electron-vite serves the page from its dev
 * server, whose hot reload needs a WebSocket back to it and injects each stylesheet as a <style> element; this
 * plugin swaps the policy for one that allows exactly that, in dev only. Serve mode sends its own policy as a
 * header and takes the <meta> out (electron/core/serve/serve.ts).
 */
export const PACKAGED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The dev server's page (on localhost): the packaged policy plus the hot-reload socket and injected styles. */
export const DEVELOPMENT_CSP = PACKAGED_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
  "connect-src 'none'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
);

const META_CSP = /(<meta\s[^>]*http-equiv\s*=\s*["']content-security-policy["'][^>]*content\s*=\s*")([^"]*)(")/i;

/** The policy of a page's <meta http-equiv="Content-Security-Policy">; null when it has none. */
export function metaCsp(html: string): string | null {
  return META_CSP.exec(html)?.[2] ?? null;
}

/** The page with its <meta> policy replaced; a page without one is an error (it would run with no policy). */
export function withMetaCsp(html: string, policy: string): string {
  if (metaCsp(html) === null) throw new Error('index.html has no <meta http-equiv="Content-Security-Policy"> to set.');
  return html.replace(META_CSP, (_match, before: string, _old: string, after: string) => `${before}${policy}${after}`);
}

export const toDevelopmentPage = (html: string): string => withMetaCsp(html, DEVELOPMENT_CSP);

/** The vite plugin: in dev (`apply: 'serve'`) the page gets the development policy; builds keep the packaged one. */
export function rendererCsp(): Plugin {
  return { name: 'coda-renderer-csp', apply: 'serve', transformIndexHtml: toDevelopmentPage };
}
