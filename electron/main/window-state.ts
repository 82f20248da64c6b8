import { screen, type BrowserWindow, type Rectangle } from 'electron';
import Store from 'electron-store';

interface WindowState {
  bounds: Rectangle | null;
  maximized: boolean;
}

/** App preferences (electron-store, a JSON file in userData). For now: where the window was and how big. */
const preferences = new Store<{ window: WindowState }>({
  name: 'preferences',
  defaults: { window: { bounds: null, maximized: false } },
});

/** The saved bounds, if they are still on a connected display (a monitor may have been unplugged). */
export function savedBounds(): Rectangle | null {
  const { bounds } = preferences.get('window');
  if (!bounds) return null;
  const visible = screen.getAllDisplays().some(({ workArea: a }) =>
    bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y,
  );
  return visible ? bounds : null;
}

export function wasMaximized(): boolean {
  return preferences.get('window').maximized;
}

export function rememberWindowState(window: BrowserWindow): void {
  const save = () => {
    if (window.isDestroyed()) return;
    preferences.set('window', { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', save);
}
