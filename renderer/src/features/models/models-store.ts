import { create } from 'zustand';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type ModelList = MethodOutput<'models.list'>;

interface ModelsState {
  models: ModelList['models'];
  errors: ModelList['errors'];
  loading: boolean;
  loaded: boolean;
  load(refresh?: boolean): Promise<void>;
}

/** The models of configured providers, loaded once and refreshed when providers change. */
export const useModels = create<ModelsState>((set, get) => ({
  models: [],
  errors: [],
  loading: false,
  loaded: false,
  async load(refresh = false) {
    if (get().loading) return;
    set({ loading: true });
    try {
      const result = await api.call('models.list', { refresh });
      set({ models: result.models, errors: result.errors, loading: false, loaded: true });
    } catch {
      set({ loading: false, loaded: true });
    }
  },
}));
