import { create } from 'zustand';
import type { MethodInput, MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useModels } from '../models/models-store.js';

type Page = MethodOutput<'providers.list'>;

export type TestResult = { ok: true; text: string } | { ok: false; text: string } | { pending: true };

interface SettingsState {
  page: Page | null;
  error: string | null;
  tests: Record<string, TestResult>;
  load(): Promise<void>;
  update(change: MethodInput<'providers.update'>): Promise<boolean>;
  setDefaults(change: NonNullable<MethodInput<'settings.update'>['defaults']>): Promise<void>;
  test(id: string): Promise<void>;
}

export const useSettings = create<SettingsState>((set, get) => ({
  page: null,
  error: null,
  tests: {},

  async load() {
    try {
      set({ page: await api.call('providers.list', {}), error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async update(change) {
    try {
      const page = await api.call('providers.update', change);
      set({ page, error: null });
      // A new key or address may change which models exist; check it right away with a cheap call.
      void useModels.getState().load(true);
      if ((change.apiKey || change.baseUrl) && page.providers.find((p) => p.id === change.id)?.configured) void get().test(change.id);
      return true;
    } catch (error) {
      set({ error: (error as Error).message });
      return false;
    }
  },

  async setDefaults(change) {
    try {
      set({ page: await api.call('settings.update', { defaults: change }), error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async test(id) {
    set({ tests: { ...get().tests, [id]: { pending: true } } });
    try {
      const result = await api.call('providers.test', { id });
      set({ tests: { ...get().tests, [id]: { ok: true, text: `Connected: ${result.modelCount} models, ${result.latencyMs} ms` } } });
    } catch (error) {
      set({ tests: { ...get().tests, [id]: { ok: false, text: (error as Error).message } } });
    }
  },
}));
