import path from 'node:path';
import { BrowserWindow } from 'electron';
import { rememberWindowState, savedBounds, wasMaximized } from './window-state.js';

export function createMainWindow(preloadDir: string, rendererUrl: string | null, rendererFile: string): BrowserWindow {
  const bounds = savedBounds();
  const window = new BrowserWindow({
    width: bounds?.width ?? 1200,
    height: bounds?.height ?? 800,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Coda Agent',
    webPreferences: {
      preload: path.join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: true,
      // Middle-click would otherwise open links in a new window, around setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  rememberWindowState(window);
  window.once('ready-to-show', () => {
    if (wasMaximized()) window.maximize();
    window.show();
  });
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  return window;
}
