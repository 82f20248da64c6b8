/**
 * The one permission the app's page gets: writing to the clipboard, for the copy buttons on code blocks and answers
 * (Chromium asks for it on navigator.clipboard.writeText). Reading the clipboard, the camera, notifications and the
 * rest stay refused, and no other page (there should be none) gets anything.
 */
const PAGE_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, isTrustedUrl: (url: string) => boolean): boolean {
  return PAGE_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl);
}
