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
}

/** The MCP servers' prompts (slash commands) and resources (attachments), loaded when the composer first needs them. */
export const useComposerTools = create<ComposerTools>((set, get) => ({
  prompts: [],
  resources: [],
  loaded: false,
  async load() {
    if (get().loaded) return;
    set({ loaded: true });
    const [prompts, resources] = await Promise.all([
      api.call('tools.prompts', {}).catch(() => ({ prompts: [] })),
      api.call('tools.resources', {}).catch(() => ({ resources: [] })),
    ]);
    set({ prompts: prompts.prompts, resources: resources.resources });
  },
}));
