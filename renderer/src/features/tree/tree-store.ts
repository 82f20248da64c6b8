import { create } from 'zustand';
import type { TreeNode } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from '../chat/chat-store.js';

interface TreeState {
  /** The tree panel is shown (the chat header's button, the shortcut). */
  open: boolean;
  sessionId: string | null;
  nodes: TreeNode[];
  activeLeafId: string | null;
  error: string | null;
  toggle(): void;
  close(): void;
  /** Reads the open chat's tree again (on opening the panel, after a send or a branch switch). */
  load(sessionId: string): Promise<void>;
  /** Shows the branch through a message in the chat: its latest leaf becomes the chat's conversation. */
  switchTo(messageId: string): Promise<void>;
}

/** Bumped by every read, so a read answering late never replaces a newer tree. */
let generation = 0;

export const useTree = create<TreeState>((set, get) => ({
  open: false,
  sessionId: null,
  nodes: [],
  activeLeafId: null,
  error: null,
  toggle: () => set({ open: !get().open }),
  close: () => set({ open: false }),
  async load(sessionId) {
    const mine = ++generation;
    if (get().sessionId !== sessionId) set({ sessionId, nodes: [], activeLeafId: null, error: null });
    try {
      const tree = await api.call('sessions.tree', { sessionId });
      if (mine === generation) set({ nodes: tree.nodes, activeLeafId: tree.activeLeafId, error: null });
    } catch (error) {
      if (mine === generation) set({ error: (error as Error).message });
    }
  },
  async switchTo(messageId) {
    const { sessionId } = get();
    if (!sessionId) return;
    try {
      await api.call('sessions.switchBranch', { sessionId, messageId });
      // The chat's new last message re-reads the tree (TreeView loads on every change of it).
      await useChat.getState().reload();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
}));
