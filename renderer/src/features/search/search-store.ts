import { create } from 'zustand';

interface SearchState {
  /** The command palette (Ctrl/Cmd+K) is open. */
  paletteOpen: boolean;
  /** What the search view starts with when the palette hands over ("All results"). */
  viewQuery: string;
  /** The message a search jumped to, highlighted briefly in its chat; `at` makes each jump a new one. */
  target: { messageId: string; at: number } | null;
  openPalette(): void;
  closePalette(): void;
}

export const useSearch = create<SearchState>((set) => ({
  paletteOpen: false,
  viewQuery: '',
  target: null,
  openPalette: () => set({ paletteOpen: true }),
  closePalette: () => set({ paletteOpen: false }),
}));
