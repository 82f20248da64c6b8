import { create } from 'zustand';
import type { MethodOutput, Preset, SessionSettings } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

interface PresetsState {
  presets: Preset[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Creates (no id) or replaces a preset; false when refused, with the reason in `error`. */
  save(preset: { id?: string; name: string; settings: SessionSettings }): Promise<boolean>;
  duplicate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export const usePresets = create<PresetsState>((set) => {
  const change = async (work: () => Promise<MethodOutput<'presets.list'>>): Promise<boolean> => {
    try {
      set({ presets: (await work()).presets, loaded: true, error: null });
      return true;
    } catch (error) {
      set({ error: (error as Error).message });
      return false;
    }
  };
  return {
    presets: [],
    loaded: false,
    error: null,
    load: async () => void (await change(() => api.call('presets.list', {}))),
    save: (preset) => change(() => api.call('presets.save', preset)),
    duplicate: async (id) => void (await change(() => api.call('presets.duplicate', { id }))),
    remove: async (id) => void (await change(() => api.call('presets.delete', { id }))),
  };
});
