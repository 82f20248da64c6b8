/** Schemes a link in an answer may open (in the system browser, after the desktop app asks). */
const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The address a link may open, or null when it must stay plain text (javascript:, file:, relative paths, junk). */
export function externalHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return EXTERNAL_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
