import { pathToFileURL } from 'node:url';

/**
 * Our page and nothing else: the built index.html (any query or fragment), or in development anything on the dev
 * server's origin. Origins are compared parsed and whole, so `http://localhost:5173.evil.com` or
 * `http://localhost:5173@evil.com` is not the dev server at `http://localhost:5173`.
 */
export function trustedUrlCheck(rendererFile: string, devServerUrl: string | null): (url: string) => boolean {
  const page = pathToFileURL(rendererFile);
  const devOrigin = devServerUrl === null ? null : webOrigin(devServerUrl);
  return (url) => {
    const parsed = parse(url);
    if (!parsed) return false;
    if (devOrigin !== null && webOrigin(url) === devOrigin) return true;
    return parsed.protocol === 'file:' && parsed.host === page.host && parsed.pathname === page.pathname;
  };
}

/** An http(s) address's origin; null for anything else (a file: URL's origin is "null" for every file). */
function webOrigin(url: string): string | null {
  const parsed = parse(url);
  return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.origin : null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
