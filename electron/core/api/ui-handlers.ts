import path from 'node:path';
import { writeBackup } from '../backup/write-backup.js';
import { makePrivateFolder } from '../store/open-database.js';
import { CodaError, DEFAULT_APPEARANCE, DEFAULT_SHORTCUTS, type UiSettings } from '../../../shared/index.js';
import type { Preferences } from '../settings/preferences.js';
import type { Store } from '../store/store.js';
import type { Handlers } from './router.js';

export interface UiHandlerDeps {
  preferences: Preferences;
  store: Store;
  /** Opens a folder in the system's file manager; only the desktop app has one. */
  openFolder?: ((folder: string) => Promise<void>) | undefined;
  dataDir: string;
}

/** How the app looks, its shortcuts, and the data folder's backup and opening. */
export function createUiHandlers(d: UiHandlerDeps): Pick<Handlers, 'ui.get' | 'ui.update' | 'data.backup' | 'data.openFolder'> {
  const current = (): UiSettings => ({ appearance: { ...DEFAULT_APPEARANCE, ...d.preferences.get('appearance') }, shortcuts: d.preferences.get('shortcuts') });
  return {
    'ui.get': async () => current(),
    'ui.update': async ({ appearance, shortcuts }) => {
      if (appearance) d.preferences.set('appearance', { ...current().appearance, ...appearance });
      if (shortcuts) {
        // Checked with the defaults the user keeps: one key combination does one thing.
        const taken = new Map<string, string>();
        for (const [action, combo] of Object.entries({ ...DEFAULT_SHORTCUTS, ...shortcuts })) {
          const other = taken.get(combo);
          if (other) throw new CodaError('validation', `${combo} cannot do two things: it is set for both ${other} and ${action}.`);
          taken.set(combo, action);
        }
        d.preferences.set('shortcuts', shortcuts);
      }
      return current();
    },
    'data.backup': async () => {
      const folder = path.join(d.dataDir, 'backups');
      await makePrivateFolder(folder);
      const out = path.join(folder, `coda-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`);
      const { file, bytes, manifest } = await writeBackup(d.store, d.dataDir, out);
      return { file, bytes, notIncluded: manifest.notIncluded };
    },
    'data.openFolder': async () => {
      if (!d.openFolder) throw new CodaError('validation', `The data folder can be opened only from the desktop app; here it is ${d.dataDir}.`);
      await d.openFolder(d.dataDir);
      return { opened: true as const };
    },
  };
}
