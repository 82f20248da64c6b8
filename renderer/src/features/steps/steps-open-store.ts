import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** How many answers' panel states are kept: the most recently touched ones, so the saved state stays small. */
export const REMEMBERED_MESSAGES = 300;

/** The Steps panel of one answer: open or not, where, and which of its sections the user opened or closed. */
export interface PanelState {
  open: boolean;
  /** Beside the conversation (wide windows) instead of under the answer. */
  side: boolean;
  /** Sections the user toggled (steps, reasoning, tool calls), by key; others keep their default. */
  sections: Record<string, boolean>;
  touchedAt: number;
}

interface StepsOpenState {
  panels: Record<string, PanelState>;
  setOpen(messageId: string, open: boolean): void;
  setSide(messageId: string, side: boolean): void;
  setSection(messageId: string, key: string, open: boolean): void;
}

const closed = (): PanelState => ({ open: false, side: false, sections: {}, touchedAt: 0 });

/** The panels after a change to one, keeping only the most recently touched REMEMBERED_MESSAGES. */
export function withPanel(panels: Record<string, PanelState>, messageId: string, change: (panel: PanelState) => Partial<PanelState>, now: number) {
  const current = panels[messageId] ?? closed();
  const next = { ...panels, [messageId]: { ...current, ...change(current), touchedAt: now } };
  const ids = Object.keys(next);
  if (ids.length <= REMEMBERED_MESSAGES) return next;
  const keep = new Set(ids.sort((a, b) => next[b]!.touchedAt - next[a]!.touchedAt).slice(0, REMEMBERED_MESSAGES));
  return Object.fromEntries(Object.entries(next).filter(([id]) => keep.has(id)));
}

/** Per answer, what the user left open in its Steps panel; kept in this window's local storage across restarts. */
export const useStepsPanels = create<StepsOpenState>()(
  persist(
    (set) => ({
      panels: {},
      setOpen: (messageId, open) => set((s) => ({ panels: withPanel(s.panels, messageId, () => ({ open }), Date.now()) })),
      // One panel at a time beside the chat: another one there goes back under its answer.
      setSide: (messageId, side) =>
        set((s) => {
          const others = side
            ? Object.fromEntries(Object.entries(s.panels).map(([id, p]) => [id, id !== messageId && p.side ? { ...p, side: false } : p]))
            : s.panels;
          return { panels: withPanel(others, messageId, () => ({ side, open: true }), Date.now()) };
        }),
      setSection: (messageId, key, open) =>
        set((s) => ({ panels: withPanel(s.panels, messageId, (p) => ({ sections: { ...p.sections, [key]: open } }), Date.now()) })),
    }),
    { name: 'coda.steps-panels', version: 1, storage: createJSONStorage(() => localStorage), partialize: (s) => ({ panels: s.panels }) },
  ),
);

const CLOSED = closed();
export const usePanel = (messageId: string): PanelState => useStepsPanels((s) => s.panels[messageId]) ?? CLOSED;
