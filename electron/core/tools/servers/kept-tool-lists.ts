import { z } from 'zod';
import type { ToolListsRepository } from '../../store/repositories/tool-lists.js';
import type { McpTool, ServerConfig } from '../sources/source.js';

/** What a user's server is now, as far as a kept list depends on it; null for a server that is not the user's. */
export interface ServerIdentity {
  /** The consent fingerprint of the saved server (see consent.ts): command, address, secrets' hints, origin. */
  fingerprint: string;
  /** It holds OAuth tokens (signed in). */
  signedIn: boolean;
}

const KeptList = z.object({
  fingerprint: z.string(),
  signedIn: z.boolean(),
  tools: z.array(z.object({ name: z.string(), description: z.string(), inputSchema: z.record(z.string(), z.unknown()), readOnly: z.boolean() })),
});
type KeptList = z.infer<typeof KeptList>;

/**
 * The tool lists of the user's servers, kept from their last successful start, so the first answer after a restart
 * need not wait for them. A list is offered only when the server could start now exactly as it did then: the same
 * fingerprint (nothing it runs, calls or sends changed), its secrets readable here (not an in-memory secret lost at
 * restart), and signed in if it was. A failed start, a restart on purpose or a removal forgets the list.
 */
export class KeptToolLists {
  private constructor(
    private readonly repository: ToolListsRepository,
    private readonly kept: Map<string, KeptList>,
    private readonly identity: (serverId: string) => ServerIdentity | null,
  ) {}

  static async load(repository: ToolListsRepository, identity: (serverId: string) => ServerIdentity | null): Promise<KeptToolLists> {
    const kept = new Map<string, KeptList>();
    for (const [serverId, text] of await repository.all()) {
      // Written only by this class; a row that does not fit (an older shape) is as good as none.
      try {
        const parsed = KeptList.safeParse(JSON.parse(text));
        if (parsed.success) kept.set(serverId, parsed.data);
      } catch {
        // Not JSON: ignored, replaced at the next start.
      }
    }
    return new KeptToolLists(repository, kept, identity);
  }

  offer(config: ServerConfig): McpTool[] | null {
    if (config.unreadableSecrets !== undefined) return null;
    const kept = this.kept.get(config.id);
    const now = kept && this.identity(config.id);
    if (!kept || !now || now.fingerprint !== kept.fingerprint || (kept.signedIn && !now.signedIn)) return null;
    return kept.tools;
  }

  listed(serverId: string, tools: McpTool[]): void {
    const now = this.identity(serverId);
    if (!now) return;
    const next: KeptList = { ...now, tools: tools.map(({ name, description, inputSchema, readOnly }) => ({ name, description, inputSchema, readOnly })) };
    const text = JSON.stringify(next);
    const before = this.kept.get(serverId);
    if (before && JSON.stringify(before) === text) return;
    this.kept.set(serverId, next);
    // In the write queue; closing the store waits for it. A failed write only means a wait at the next start.
    this.repository.save(serverId, text).catch(() => undefined);
  }

  forget(serverId: string): void {
    if (!this.kept.delete(serverId)) return;
    this.repository.remove(serverId).catch(() => undefined);
  }
}
