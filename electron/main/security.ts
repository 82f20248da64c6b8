import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { isPermissionAllowed } from './permissions.js';

const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

/** Baseline for every web contents: no navigation away, no new windows, no webviews, no permissions but clipboard writes. */
export function applySecurityBaseline(isTrustedUrl: (url: string) => boolean): void {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, isTrustedUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL() ?? '', isTrustedUrl),
  );

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      void confirmAndOpenExternal(url);
      return { action: 'deny' };
    });
  });
}

/** Links from model output open in the user's browser only for http(s)/mailto, and only after they agree. */
async function confirmAndOpenExternal(url: string, parent?: BrowserWindow): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) return;
  const options = {
    type: 'question' as const,
    buttons: ['Open', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your browser?',
    detail: parsed.href,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(parsed.href);
}
