import { create } from 'zustand';

export type View = 'chat' | 'settings' | 'search';

interface NavigationState {
  view: View;
  show(view: View): void;
}

/** Which main view is open; Settings has its own address (#/settings) so a reload stays there. */
export const useNavigation = create<NavigationState>((set) => ({
  view: window.location.hash === '#/settings' ? 'settings' : 'chat',
  show(view) {
    set({ view });
    if (view === 'settings') window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/settings`);
  },
}));
