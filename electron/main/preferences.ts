import Store from 'electron-store';
import { PREFERENCE_DEFAULTS, type Preferences, type PreferencesData } from '../core/settings/preferences.js';
import type { Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle | null;
  maximized: boolean;
}

/** The app's preferences file (userData/preferences.json): core's preferences plus the shell's own (the window). */
const store = new Store<PreferencesData & { window: WindowState }>({
  name: 'preferences',
  defaults: { ...PREFERENCE_DEFAULTS, window: { bounds: null, maximized: false } },
});

export const preferences: Preferences = {
  get: (key) => store.get(key),
  set: (key, value) => store.set(key, value),
};

export const windowPreferences = {
  get: (): WindowState => store.get('window'),
  set: (state: WindowState) => store.set('window', state),
};
