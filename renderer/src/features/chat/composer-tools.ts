import { create } from 'zustand';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Prompt = MethodOutput<'tools.prompts'>['prompts'][number];
type Resource = MethodOutput<'tools.resources'>['resources'][number];

interface ComposerTools {
  prompts: Prompt[];
  resources: Resource[];
  loaded: boolean;
  load(): Promise<void>;
  /** A server was added, removed, started or changed its lists: load again if they were loaded (else on first need). */
  refresh(): Promise<void>;
}

/** The MCP servers' prompts (slash commands) and resources (attachments), loaded when the composer first needs them. */
export const useComposerTools = create<ComposerTools>((set, get) => {
  // Only the latest load may set the lists: an older, slower answer would bring back a server just removed.
  let latestLoad = 0;
  const fetchLists = async () => {
    const load = ++latestLoad;
    const [prompts, resources] = await Promise.all([
      api.call('tools.prompts', {}).catch(() => ({ prompts: [] })),
      api.call('tools.resources', {}).catch(() => ({ resources: [] })),
    ]);
    if (load === latestLoad) set({ prompts: prompts.prompts, resources: resources.resources });
  };
  return {
    prompts: [],
    resources: [],
    loaded: false,
    async load() {
      if (get().loaded) return;
      set({ loaded: true });
      await fetchLists();
    },
    async refresh() {
      if (get().loaded) await fetchLists();
    },
  };
});
