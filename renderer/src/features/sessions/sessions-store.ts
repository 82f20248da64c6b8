import { create } from 'zustand';
import type { Session } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useNavigation } from '../../app/navigation.js';
import { useTrash } from './trash-store.js';

const PAGE_SIZE = 50;

interface SessionsState {
  /** Every loaded live chat once: all pinned ones, and the pages of the others loaded so far (of the filter, if any). */
  sessions: Session[];
  /** Where the next page of unpinned chats starts; null when all are loaded. */
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** The title filter typed above the list. */
  query: string;
  activeId: string | null;
  /** The session just moved to the trash, offered for undo. */
  recentlyDeleted: Session | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  /** Filters by title: the list is read again from core, so chats beyond the loaded pages are found too. */
  setQuery(query: string): void;
  /** Opens a new chat, ready to type into; it is created when its first message is sent. */
  startNew(): void;
  select(id: string | null): void;
  /** Makes sure the open session is known even when it is beyond the loaded pages (or gone: then nothing is open). */
  ensure(id: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  updateSettings(id: string, settings: Partial<Session['settings']>): Promise<void>;
  pin(id: string, pinned: boolean): Promise<void>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  dismissUndo(): void;
  /** Applies a change announced by core (a background title, another window's rename, a restore from the trash). */
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

/** Adds or replaces chats by id; the sidebar orders and groups them. */
function merge(current: readonly Session[], incoming: readonly Session[]): Session[] {
  const byId = new Map(current.map((s) => [s.id, s]));
  for (const session of incoming) byId.set(session.id, session);
  return [...byId.values()];
}

/** The chat with `id` among the loaded ones. */
export const findSession = (state: Pick<SessionsState, 'sessions'>, id: string | null): Session | null => state.sessions.find((s) => s.id === id) ?? null;

let queryTimer: ReturnType<typeof setTimeout> | undefined;
/** Which load is current: a slower, older one (typing moved on) must not overwrite a newer one. */
let loadGeneration = 0;

export const useSessions = create<SessionsState>((set, get) => ({
  sessions: [],
  nextCursor: null,
  loading: false,
  error: null,
  query: '',
  activeId: readActiveFromLocation(),
  recentlyDeleted: null,

  async load() {
    const generation = ++loadGeneration;
    const query = get().query.trim() || undefined;
    set({ loading: true, error: null });
    try {
      const [pinned, page] = await Promise.all([
        api.call('sessions.list', { pinned: true, query }),
        api.call('sessions.list', { pinned: false, limit: PAGE_SIZE, query }),
      ]);
      if (generation !== loadGeneration) return;
      // The open chat stays known even when the filter hides it.
      const open = findSession(get(), get().activeId);
      set({ sessions: merge(open ? [open] : [], [...pinned.items, ...page.items]), nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      if (generation === loadGeneration) set({ loading: false, error: (error as Error).message });
    }
  },

  async loadMore() {
    const { nextCursor, loading } = get();
    if (!nextCursor || loading) return;
    const generation = loadGeneration;
    set({ loading: true });
    try {
      const page = await api.call('sessions.list', { pinned: false, cursor: nextCursor, limit: PAGE_SIZE, query: get().query.trim() || undefined });
      if (generation !== loadGeneration) return;
      set({ sessions: merge(get().sessions, page.items), nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      set({ loading: false, error: (error as Error).message });
    }
  },

  setQuery(query) {
    set({ query });
    clearTimeout(queryTimer);
    queryTimer = setTimeout(() => void get().load(), 150);
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
    if (findSession(get(), id)) return;
    try {
      get().apply(await api.call('sessions.get', { id }));
    } catch {
      if (get().activeId === id) set({ activeId: null });
    }
  },

  async rename(id, title) {
    await call(set, async () => get().apply(await api.call('sessions.rename', { id, title })));
  },

  async updateSettings(id, settings) {
    await call(set, async () => get().apply(await api.call('sessions.updateSettings', { id, settings })));
  },

  async pin(id, pinned) {
    await call(set, async () => get().apply(await api.call('sessions.pin', { id, pinned })));
  },

  async remove(id) {
    await call(set, async () => {
      const deleted = await api.call('sessions.delete', { id });
      get().apply(deleted);
      set({ recentlyDeleted: deleted });
      if (get().activeId === id) set({ activeId: null });
    });
  },

  async undoRemove() {
    const deleted = get().recentlyDeleted;
    if (!deleted) return;
    set({ recentlyDeleted: null });
    await call(set, async () => {
      const restored = await api.call('sessions.restore', { id: deleted.id });
      get().apply(restored);
      set({ activeId: restored.id });
    });
  },

  dismissUndo() {
    set({ recentlyDeleted: null });
  },

  apply(session) {
    const others = get().sessions.filter((s) => s.id !== session.id);
    set({ sessions: session.deletedAt === null ? [...others, session] : others });
    useTrash.getState().apply(session);
  },
}));

/** Runs a change, showing its failure in the sidebar instead of throwing. */
async function call(set: (partial: Partial<SessionsState>) => void, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    set({ error: (error as Error).message });
  }
}

useSessions.subscribe((state, previous) => {
  if (state.activeId !== previous.activeId && useNavigation.getState().view === 'chat') writeActiveToLocation(state.activeId);
});
