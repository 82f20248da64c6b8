import { create } from 'zustand';

/** The most answers whose breakdown is remembered open; the oldest is forgotten first. */
const KEPT = 200;

interface BreakdownState {
  /** Answers whose usage breakdown is open, oldest opened first. */
  open: string[];
  toggle(messageId: string): void;
}

/**
 * Which answers show their usage breakdown, kept outside the message: a long chat's list unmounts the messages
 * scrolled out of view, and a breakdown the reader opened must still be open when they scroll back.
 */
export const useBreakdowns = create<BreakdownState>((set) => ({
  open: [],
  toggle(messageId) {
    set(({ open }) => (open.includes(messageId) ? { open: open.filter((id) => id !== messageId) } : { open: [...open, messageId].slice(-KEPT) }));
  },
}));
