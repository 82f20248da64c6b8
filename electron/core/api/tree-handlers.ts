import type { MessageTreeRepository } from '../store/repositories/message-tree.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';

/** The conversation tree view: every message of a chat, compact, and which leaf is shown. */
export function createTreeHandlers(d: { sessions: SessionsRepository; tree: MessageTreeRepository }): Pick<Handlers, 'sessions.tree'> {
  return {
    'sessions.tree': async ({ sessionId }) => {
      const [session, nodes] = await Promise.all([d.sessions.require(sessionId), d.tree.nodes(sessionId)]);
      return { nodes, activeLeafId: session.activeLeafId };
    },
  };
}
