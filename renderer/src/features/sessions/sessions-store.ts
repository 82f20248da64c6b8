import { create } from 'zustand';
import type { Session } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useNavigation } from '../../app/navigation.js';

const PAGE_SIZE = 50;

interface SessionsState {
  sessions: Session[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  activeId: string | null;
  /** The session just moved to the trash, offered for undo. */
  recentlyDeleted: Session | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  /** Opens a new chat, ready to type into; it is created when its first message is sent. */
  startNew(): void;
  select(id: string | null): void;
  /** Makes sure the open session is known even when it is beyond the loaded pages (or gone: then nothing is open). */
  ensure(id: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  updateSettings(id: string, settings: Partial<Session['settings']>): Promise<void>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  /** Applies a change announced by core (a background title, another window's rename). */
  apply(session: Session): void;
}

/** The open chat lives in the URL hash, so a reload (or a restart in serve mode) reopens it. */
function readActiveFromLocation(): string | null {
  const match = /^#\/s\/([0-9a-f-]{36})$/.exec(window.location.hash);
  return match?.[1] ?? null;
}

function writeActiveToLocation(id: string | null): void {
  const hash = id ? `#/s/${id}` : '';
  if (window.location.hash !== hash) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
}

const byRecent = (a: Session, b: Session) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1);

export const useSessions = create<SessionsState>((set, get) => ({
  sessions: [],
  nextCursor: null,
  loading: false,
  error: null,
  activeId: readActiveFromLocation(),
  recentlyDeleted: null,

  async load() {
    set({ loading: true, error: null });
    try {
      const page = await api.call('sessions.list', { limit: PAGE_SIZE });
      // A chat created or changed while the page was loading is newer than the page: keep it.
      const loaded = new Set(page.items.map((s) => s.id));
      const newer = get().sessions.filter((s) => !loaded.has(s.id));
      set({ sessions: [...newer, ...page.items].sort(byRecent), nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },

  async loadMore() {
    const { nextCursor, loading } = get();
    if (!nextCursor || loading) return;
    set({ loading: true });
    try {
      const page = await api.call('sessions.list', { cursor: nextCursor, limit: PAGE_SIZE });
      const known = new Set(get().sessions.map((s) => s.id));
      set({ sessions: [...get().sessions, ...page.items.filter((s) => !known.has(s.id))], nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },

  startNew() {
    get().select(null);
  },

  select(id) {
    set({ activeId: id });
    useNavigation.getState().show('chat');
    writeActiveToLocation(id);
  },

  async ensure(id) {
    if (get().sessions.some((s) => s.id === id)) return;
    try {
      get().apply(await api.call('sessions.get', { id }));
    } catch {
      if (get().activeId === id) set({ activeId: null });
    }
  },

  async rename(id, title) {
    try {
      get().apply(await api.call('sessions.rename', { id, title }));
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async updateSettings(id, settings) {
    try {
      get().apply(await api.call('sessions.updateSettings', { id, settings }));
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async remove(id) {
    try {
      const deleted = await api.call('sessions.delete', { id });
      get().apply(deleted);
      set({ recentlyDeleted: deleted });
      if (get().activeId === id) set({ activeId: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async undoRemove() {
    const deleted = get().recentlyDeleted;
    if (!deleted) return;
    set({ recentlyDeleted: null });
    try {
      const restored = await api.call('sessions.restore', { id: deleted.id });
      get().apply(restored);
      set({ activeId: restored.id });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  dismissUndo() {
    set({ recentlyDeleted: null });
  },

  apply(session) {
    const others = get().sessions.filter((s) => s.id !== session.id);
    set({ sessions: session.deletedAt === null ? [...others, session].sort(byRecent) : others });
  },
}));

useSessions.subscribe((state, previous) => {
  if (state.activeId !== previous.activeId && useNavigation.getState().view === 'chat') writeActiveToLocation(state.activeId);
});
