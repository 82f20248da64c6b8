import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import { createCore, type Core } from '../core/core.js';
import { migrationsFolder } from '../core/paths.js';
import { utilityProcessLauncher } from './builtin-tools.js';
import { preferences } from './preferences.js';
import { safeStorageVault } from './vault.js';
import { registerIpc } from './ipc.js';
import { applySecurityBaseline } from './security.js';
import { trustedUrlCheck } from './trusted-url.js';
import { createMainWindow } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererFile = path.join(here, '../renderer/index.html');
const devServerUrl = !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null;

const isTrustedUrl = trustedUrlCheck(rendererFile, devServerUrl);

let core: Core | null = null;

async function start(): Promise<void> {
  applySecurityBaseline(isTrustedUrl);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  try {
    core = await createCore({
      dataDir: app.getPath('userData'),
      migrationsDir: app.isPackaged ? path.join(process.resourcesPath, 'migrations') : migrationsFolder(),
      env: process.env,
      preferences,
      vault: safeStorageVault(),
      builtinToolsLauncher: utilityProcessLauncher,
      // shell.openPath resolves with an error message, empty when the folder opened.
      openFolder: async (folder) => {
        const problem = await shell.openPath(folder);
        if (problem) throw new Error(`Could not open ${folder}: ${problem}`);
      },
      // before-quit closes core (answers in flight end as interrupted) before the new instance starts.
      restart: () => {
        app.relaunch();
        app.quit();
      },
      prestartTools: true,
      log: (message) => console.error(message),
    });
  } catch (error) {
    dialog.showErrorBox('Coda Agent cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  registerIpc(core, isTrustedUrl);
  createMainWindow(path.join(here, '../preload'), devServerUrl, rendererFile);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(path.join(here, '../preload'), devServerUrl, rendererFile);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (!core || closing) return;
    // Save answers in flight (they end as interrupted) before the process goes.
    event.preventDefault();
    closing = true;
    void core.close().finally(() => app.quit());
  });
  void app.whenReady().then(start);
}
