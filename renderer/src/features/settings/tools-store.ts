import { create } from 'zustand';
import type { MethodInput, MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

type Servers = MethodOutput<'tools.servers'>['servers'];
type Tools = MethodOutput<'tools.list'>['tools'];

interface ToolsState {
  servers: Servers;
  /** False in serve mode: secrets typed here last only until Coda quits. */
  secretsPersistent: boolean;
  tools: Tools;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Adds servers; resolves with why not (shown beside the button that tried), or null when they were added. */
  add(input: MethodInput<'tools.addServers'>): Promise<string | null>;
  /** Starts a server as the card showed it (its fingerprint; an OpenAPI service's origin): core refuses if it has changed since. */
  confirm(server: { id: string; fingerprint: string }, trusted: boolean, origin?: string): Promise<void>;
  restart(id: string): Promise<void>;
  /** Replaces saved secrets of a server (the server restarts); false when refused, with the reason in `error`. */
  updateSecrets(input: MethodInput<'tools.updateSecrets'>): Promise<boolean>;
  signOut(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  setTimeout(id: string, seconds: number): Promise<void>;
  setPolicy(toolId: string, policy: 'auto' | 'ask' | 'deny'): Promise<void>;
}

export const useTools = create<ToolsState>((set, get) => {
  // Loads overlap (the first one waits for servers to start); only the latest may set the list, or an older,
  // slower answer would bring back a list without the server just added.
  let latestLoad = 0;
  /** Runs a change and then reloads servers and tools; errors show in the section. */
  const change = async (work: () => Promise<unknown>): Promise<boolean> => {
    set({ busy: true, error: null });
    try {
      await work();
      await get().load();
      return true;
    } catch (error) {
      set({ error: (error as Error).message });
      return false;
    } finally {
      set({ busy: false });
    }
  };
  return {
    servers: [],
    secretsPersistent: true,
    tools: [],
    busy: false,
    error: null,
    async load() {
      const load = ++latestLoad;
      try {
        // The server list is at hand at once; the tools wait for servers to start, so they follow, with the
        // servers' state after starting.
        const servers = await api.call('tools.servers', {});
        if (load === latestLoad) set({ servers: servers.servers, secretsPersistent: servers.secretsPersistent });
        const tools = await api.call('tools.list', { servers: ['*'] });
        const after = await api.call('tools.servers', {});
        if (load !== latestLoad) return;
        set({ servers: after.servers, secretsPersistent: after.secretsPersistent, tools: tools.tools });
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },
    add: async (input) => {
      set({ busy: true });
      try {
        await api.call('tools.addServers', input);
        await get().load();
        return null;
      } catch (error) {
        return (error as Error).message;
      } finally {
        set({ busy: false });
      }
    },
    confirm: async ({ id, fingerprint }, trusted, origin) =>
      void (await change(() => api.call('tools.confirmServer', { id, fingerprint, trusted, ...(origin ? { origin } : {}) }))),
    restart: async (id) => void (await change(() => api.call('tools.restartServer', { id }))),
    updateSecrets: (input) => change(() => api.call('tools.updateSecrets', input)),
    signOut: async (id) => void (await change(() => api.call('tools.signOut', { id }))),
    remove: async (id) => void (await change(() => api.call('tools.removeServer', { id }))),
    setTimeout: async (id, seconds) => void (await change(() => api.call('tools.updateServer', { id, timeoutSeconds: seconds }))),
    setPolicy: async (toolId, policy) => void (await change(() => api.call('tools.setPolicy', { toolId, policy }))),
  };
});
