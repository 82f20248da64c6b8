import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { windowPreferences } from './preferences.js';

/** The saved bounds, if they are still on a connected display (a monitor may have been unplugged). */
export function savedBounds(): Rectangle | null {
  const { bounds } = windowPreferences.get();
  if (!bounds) return null;
  const visible = screen
    .getAllDisplays()
    .some(({ workArea: a }) => bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y);
  return visible ? bounds : null;
}

export function wasMaximized(): boolean {
  return windowPreferences.get().maximized;
}

export function rememberWindowState(window: BrowserWindow): void {
  const save = () => {
    if (window.isDestroyed()) return;
    windowPreferences.set({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', save);
}
