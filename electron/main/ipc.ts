import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import { ipcChannels } from '../../shared/contract/channels.js';
import { toErrorShape, type Result } from '../../shared/index.js';
import type { CoreApi } from '../core/api/router.js';
import { invokeWithConsent } from './consent-guard.js';
import { nativeDialogs } from './native-dialogs.js';

/**
 * The Electron transport of the contract. Only the main frame of our own windows, showing our own page, may
 * call in; everything else is refused before core sees it. Core validates the payloads themselves.
 */
export function registerIpc(core: CoreApi, isTrustedUrl: (url: string) => boolean): void {
  const subscriptions = new Map<WebContents, Map<number, () => void>>();

  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const frame: WebFrameMain | null = event.senderFrame;
    return frame !== null && frame === event.sender.mainFrame && isTrustedUrl(frame.url);
  };
  const refused = { ok: false, error: { code: 'validation', message: 'This window may not use the Coda API.' } } satisfies Result<never>;

  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, input: unknown) => {
    if (!trusted(event)) return refused;
    // Starting a server, and letting tools run without asking, need a yes in a native dialog the page cannot click.
    return invokeWithConsent(core, nativeDialogs(BrowserWindow.fromWebContents(event.sender)), String(method), input);
  });

  ipcMain.on(ipcChannels.subscribe, (event, id: unknown, subscription: unknown) => {
    if (!trusted(event) || typeof id !== 'number') return;
    const contents = event.sender;
    let owned = subscriptions.get(contents);
    if (!owned) {
      const created = new Map<number, () => void>();
      subscriptions.set(contents, created);
      contents.once('destroyed', () => {
        for (const unsubscribe of created.values()) unsubscribe();
        subscriptions.delete(contents);
      });
      owned = created;
    }
    try {
      owned.get(id)?.();
      owned.set(
        id,
        core.subscribe(subscription, (payload) => {
          if (!contents.isDestroyed()) contents.send(ipcChannels.event, id, payload);
        }),
      );
    } catch (error) {
      contents.send(ipcChannels.subscriptionError, id, toErrorShape(error));
    }
  });

  ipcMain.on(ipcChannels.unsubscribe, (event, id: unknown) => {
    if (!trusted(event) || typeof id !== 'number') return;
    const owned = subscriptions.get(event.sender);
    owned?.get(id)?.();
    owned?.delete(id);
  });
}
