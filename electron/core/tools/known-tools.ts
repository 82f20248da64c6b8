import type { McpTool, ServerConfig } from './sources/source.js';

/**
 * A server's tools known before it runs: the built-in list written by the build (`start: 'on-call'`: a call starts the
 * server), or a user's server's list kept from its last start (`start: 'now'`: started in the background at once).
 */
export interface KnownTools {
  tools: McpTool[];
  start: 'on-call' | 'now';
}

/**
 * Where known lists come from and go, so a model's request need not wait for a server to start. The build's list is
 * offered wherever a live list is not needed; a kept list only to an answer's request (`definitions` with `answer`):
 * Settings, `tools.list`, prompts and resources see what the servers list now.
 */
export interface KnownToolLists {
  /** The list to offer for this configuration now, if any (the decision of what may be offered is the owner's). */
  known(config: ServerConfig): KnownTools | null;
  /** The server started and listed these tools: keep them for a later run. */
  listed(serverId: string, tools: McpTool[]): void;
  /** Its start failed, or it was restarted or removed: nothing kept of it may be offered again before it lists anew. */
  forget(serverId: string): void;
}

export const NO_KNOWN_LISTS: KnownToolLists = { known: () => null, listed: () => undefined, forget: () => undefined };
