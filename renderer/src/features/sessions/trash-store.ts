import { create } from 'zustand';
import type { Session } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

const PAGE_SIZE = 50;

interface TrashState {
  /** Whether the sidebar shows the trash instead of the chats. */
  open: boolean;
  /** Deleted chats loaded so far, most recently deleted first. */
  items: Session[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  show(): Promise<void>;
  hide(): void;
  loadMore(): Promise<void>;
  /** Restores a chat; resolves with it (the caller adds it to the chats and opens it), or null when it failed. */
  restore(id: string): Promise<Session | null>;
  /** Deletes one chat for good. */
  purge(id: string): Promise<void>;
  /** Deletes every chat in the trash for good. */
  empty(): Promise<void>;
  /** A chat deleted or restored elsewhere (the chats list, another window). */
  apply(session: Session): void;
}

export const useTrash = create<TrashState>((set, get) => ({
  open: false,
  items: [],
  nextCursor: null,
  loading: false,
  error: null,

  async show() {
    set({ open: true, loading: true, error: null });
    try {
      const page = await api.call('sessions.list', { trash: true, limit: PAGE_SIZE });
      set({ items: page.items, nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },

  hide() {
    set({ open: false, items: [], nextCursor: null, error: null });
  },

  async loadMore() {
    const { nextCursor, loading } = get();
    if (!nextCursor || loading) return;
    set({ loading: true });
    try {
      const page = await api.call('sessions.list', { trash: true, cursor: nextCursor, limit: PAGE_SIZE });
      const known = new Set(get().items.map((s) => s.id));
      set({ items: [...get().items, ...page.items.filter((s) => !known.has(s.id))], nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },

  async restore(id) {
    try {
      const restored = await api.call('sessions.restore', { id });
      get().apply(restored);
      return restored;
    } catch (error) {
      set({ error: (error as Error).message });
      return null;
    }
  },

  async purge(id) {
    try {
      await api.call('sessions.purge', { id });
      set({ items: get().items.filter((s) => s.id !== id) });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async empty() {
    try {
      await api.call('sessions.emptyTrash', {});
      set({ items: [], nextCursor: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  apply(session) {
    if (!get().open) return;
    const others = get().items.filter((s) => s.id !== session.id);
    set({ items: session.deletedAt === null ? others : [session, ...others] });
  },
}));
