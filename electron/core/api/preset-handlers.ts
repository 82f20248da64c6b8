import { CodaError, type Preset } from '../../../shared/index.js';
import type { Preferences } from '../settings/preferences.js';
import { newId } from '../util/ids.js';
import type { Handlers } from './router.js';

const MAX_PRESETS = 200;

/** Presets ("assistants"): named settings new chats can start from, kept with the preferences. */
export function createPresetHandlers(preferences: Preferences): Pick<Handlers, 'presets.list' | 'presets.save' | 'presets.duplicate' | 'presets.delete'> {
  const list = () => ({ presets: preferences.get('presets') });
  const find = (id: string): Preset => {
    const preset = preferences.get('presets').find((p) => p.id === id);
    if (!preset) throw new CodaError('not_found', `No preset with id ${id}.`);
    return preset;
  };
  const nameTaken = (name: string, except?: string) => preferences.get('presets').some((p) => p.id !== except && p.name.toLowerCase() === name.toLowerCase());
  return {
    'presets.list': async () => list(),
    'presets.save': async ({ id, name, settings }) => {
      if (nameTaken(name, id)) throw new CodaError('conflict', `A preset named "${name}" exists already; choose another name.`);
      const presets = preferences.get('presets');
      if (id) {
        find(id);
        preferences.set(
          'presets',
          presets.map((p) => (p.id === id ? { id, name, settings } : p)),
        );
      } else {
        if (presets.length >= MAX_PRESETS) throw new CodaError('validation', `At most ${MAX_PRESETS} presets can be kept; delete one first.`);
        preferences.set('presets', [...presets, { id: newId(), name, settings }]);
      }
      return list();
    },
    'presets.duplicate': async ({ id }) => {
      const original = find(id);
      let name = `${original.name} (copy)`;
      for (let n = 2; nameTaken(name); n++) name = `${original.name} (copy ${n})`;
      preferences.set('presets', [...preferences.get('presets'), { id: newId(), name: name.slice(0, 100), settings: original.settings }]);
      return list();
    },
    'presets.delete': async ({ id }) => {
      find(id);
      preferences.set(
        'presets',
        preferences.get('presets').filter((p) => p.id !== id),
      );
      return list();
    },
  };
}
