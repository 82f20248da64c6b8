import { create } from 'zustand';
import { DEFAULT_APPEARANCE, type Appearance, type MethodInput, type ShortcutBindings } from '../../../shared/index.js';
import { api } from '../api/client.js';

/** The last appearance seen, so the next start paints in the right theme and size before core answers. */
const CACHE_KEY = 'coda.appearance';

interface UiState {
  appearance: Appearance;
  shortcuts: ShortcutBindings;
  error: string | null;
  load(): Promise<void>;
  update(change: MethodInput<'ui.update'>): Promise<boolean>;
}

/** Puts the appearance on the page: theme and density as attributes the CSS reads, the text size as a variable. */
export function applyAppearance(appearance: Appearance): void {
  const root = document.documentElement;
  root.dataset['theme'] = appearance.theme;
  root.dataset['density'] = appearance.density;
  root.style.setProperty('--font-size', `${appearance.fontSize}px`);
}

function cachedAppearance(): Appearance {
  try {
    return { ...DEFAULT_APPEARANCE, ...(JSON.parse(localStorage.getItem(CACHE_KEY) ?? '{}') as Partial<Appearance>) };
  } catch {
    return DEFAULT_APPEARANCE;
  }
}

export const useUi = create<UiState>((set, get) => ({
  appearance: cachedAppearance(),
  shortcuts: {},
  error: null,
  async load() {
    try {
      const ui = await api.call('ui.get', {});
      set({ appearance: ui.appearance, shortcuts: ui.shortcuts, error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async update(change) {
    // Shown at once (a radio or a slider follows the hand); core's answer then confirms it, or the old one returns.
    const before = { appearance: get().appearance, shortcuts: get().shortcuts };
    set({ appearance: { ...before.appearance, ...change.appearance }, ...(change.shortcuts ? { shortcuts: change.shortcuts } : {}) });
    try {
      const ui = await api.call('ui.update', change);
      set({ appearance: ui.appearance, shortcuts: ui.shortcuts, error: null });
      return true;
    } catch (error) {
      set({ ...before, error: (error as Error).message });
      return false;
    }
  },
}));

applyAppearance(useUi.getState().appearance);
useUi.subscribe((state, previous) => {
  if (state.appearance === previous.appearance) return;
  applyAppearance(state.appearance);
  localStorage.setItem(CACHE_KEY, JSON.stringify(state.appearance));
});
