import type { MergeService } from '../merge/merge-service.js';
import type { AppEvents } from '../runs/app-events.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';

/** Merging a branch into another branch or chat: the updated target chat (its active leaf is the last merged message). */
export function createMergeHandlers(d: { merge: MergeService; sessions: SessionsRepository; appEvents: AppEvents }): Pick<Handlers, 'messages.merge'> {
  return {
    'messages.merge': async (input) => {
      await d.merge.merge(input);
      const session = await d.sessions.require(input.targetSessionId);
      d.appEvents.emit({ type: 'session-changed', session });
      return session;
    },
  };
}
