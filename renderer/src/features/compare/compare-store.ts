import { create } from 'zustand';
import type { CompareResult } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from '../chat/chat-store.js';

export type Side = 'left' | 'right';

interface CompareState {
  /** What is compared; null while the view is closed. */
  target: { sessionId: string; leftId: string; rightId: string } | null;
  result: CompareResult | null;
  error: string | null;
  /** Opens the view on the branches through two messages of a chat. */
  open(sessionId: string, leftId: string, rightId: string): Promise<void>;
  /** Closes the view; focus goes back to what opened it. */
  close(): void;
  /** "Use this branch": the chat shows that side (down to its latest leaf), and the view closes. */
  use(side: Side): Promise<void>;
}

/** What had focus when the view opened, given it back on close (the button or menu that opened it). */
let opener: HTMLElement | null = null;
/** Bumped by every open, so a comparison answering late never replaces a newer one. */
let generation = 0;

export const useCompare = create<CompareState>((set, get) => ({
  target: null,
  result: null,
  error: null,
  async open(sessionId, leftId, rightId) {
    const mine = ++generation;
    if (!get().target) opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    set({ target: { sessionId, leftId, rightId }, result: null, error: null });
    try {
      const result = await api.call('sessions.compare', { sessionId, leftId, rightId });
      if (mine === generation) set({ result });
    } catch (error) {
      if (mine === generation) set({ error: (error as Error).message });
    }
  },
  close() {
    generation++;
    set({ target: null, result: null, error: null });
    const back = opener;
    opener = null;
    // The opener may be gone (its message left the screen): the composer takes focus instead.
    if (back?.isConnected) back.focus();
    else document.querySelector<HTMLElement>('[data-testid="composer-input"]')?.focus();
  },
  async use(side) {
    const { target, result } = get();
    if (!target || !result) return;
    try {
      await api.call('sessions.switchBranch', { sessionId: target.sessionId, messageId: result[side].messageId });
      await useChat.getState().reload();
      get().close();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
}));

/** Closes the comparison when the chat it belongs to is left. */
useChat.subscribe((state, previous) => {
  if (state.sessionId !== previous.sessionId && useCompare.getState().target) useCompare.setState({ target: null, result: null, error: null });
});
