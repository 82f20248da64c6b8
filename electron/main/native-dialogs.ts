import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import type { ConsentDialogs } from './consent-guard.js';

/**
 * The guard's dialogs as Electron's native message boxes: drawn by the main process, so the page can neither fake
 * nor click them. Cancel is the default button (Enter or Escape does not agree to anything).
 */
export function nativeDialogs(window: BrowserWindow | null): ConsentDialogs {
  const show = (options: MessageBoxOptions) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  return {
    async startServer(text, trusted) {
      const { response, checkboxChecked } = await show({
        type: 'warning',
        title: text.title,
        message: text.message,
        detail: text.detail,
        buttons: ['Start', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
        checkboxLabel: text.checkboxLabel,
        checkboxChecked: trusted,
      });
      return { start: response === 0, trusted: checkboxChecked };
    },
    async confirm(text) {
      const { response } = await show({
        type: 'warning',
        title: text.title,
        message: text.message,
        detail: text.detail,
        buttons: [text.confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      });
      return response === 0;
    },
  };
}
