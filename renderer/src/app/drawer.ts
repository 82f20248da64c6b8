import { useSyncExternalStore } from 'react';
import { create } from 'zustand';

/** Below this width the sidebar is a drawer over the page instead of a column beside it. */
const NARROW = '(max-width: 720px)';

interface DrawerState {
  /** Whether the chats drawer is open (narrow windows only; wide ones always show the sidebar). */
  open: boolean;
  /** Wide windows: whether the user hid the sidebar (its shortcut, or the menu button). */
  collapsed: boolean;
  toggle(): void;
  close(): void;
}

export const useDrawer = create<DrawerState>((set, get) => ({
  open: false,
  collapsed: false,
  toggle: () => set({ open: !get().open }),
  close: () => set({ open: false }),
}));

const narrowQuery = () => window.matchMedia(NARROW);

/** Whether the window is narrow enough for the drawer, following resizes. */
export function useNarrow(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = narrowQuery();
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => narrowQuery().matches,
  );
}
