import { create } from 'zustand';
import type { MethodOutput, Session, SessionSettings } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Providers = MethodOutput<'app.info'>['providers'];

interface NewChatState {
  /** The settings the chat will be created with on its first message: core's defaults, then the user's changes. */
  settings: SessionSettings | null;
  /** Whether any provider is set up; without one the draft shows how to add one instead of a dead composer. */
  providers: Providers | null;
  error: string | null;
  /** Reads the defaults afresh (the model picked last may have changed in another chat or in Settings). */
  load(): Promise<void>;
  update(change: Partial<SessionSettings>): void;
}

/**
 * The chat not yet created: the app opens on it and "+ New chat" returns to it. Nothing is saved until the first
 * message is sent, so opening the app or pressing "+ New chat" twice leaves no empty chats behind.
 */
export const useNewChat = create<NewChatState>((set, get) => ({
  settings: null,
  providers: null,
  error: null,

  async load() {
    try {
      const info = await api.call('app.info', {});
      set({ settings: info.defaultSettings, providers: info.providers, error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  update(change) {
    const settings = get().settings;
    if (!settings) return;
    set({ settings: { ...settings, ...change } });
    if (change.provider && change.model) rememberModel(change.provider, change.model);
  },
}));

/** New chats start with the model the user picked last, wherever it was picked. */
export function rememberModel(provider: Session['settings']['provider'], model: string): void {
  void api.call('settings.update', { defaults: { provider, model } }).catch(() => undefined);
}
