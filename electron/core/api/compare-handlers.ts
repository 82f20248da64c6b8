import type { ChatService } from '../chat/chat-service.js';
import { compareInSession, type BranchCompareDeps } from '../compare/branch-compare.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';

/** Comparing two branches of a chat, and answering a question again with several models at once. */
export function createCompareHandlers(
  d: BranchCompareDeps & { sessions: SessionsRepository; chat: ChatService },
): Pick<Handlers, 'sessions.compare' | 'chat.retryMany'> {
  return {
    'sessions.compare': async ({ sessionId, leftId, rightId }) => {
      await d.sessions.require(sessionId);
      return compareInSession(d, sessionId, leftId, rightId);
    },
    'chat.retryMany': async ({ messageId, models, overBudget }) => {
      // One after another to start (each checks the spending limits and saves its answer), then they stream at once.
      const started: Awaited<ReturnType<ChatService['retry']>>[] = [];
      try {
        for (const model of models) started.push(await d.chat.retry(messageId, model, overBudget === true));
      } catch (error) {
        // All or none: answers already started for this request stop (kept, interrupted) when a later one is refused.
        for (const run of started) d.chat.stop(run.runId);
        throw error;
      }
      return {
        runs: started.map((run, i) => ({ runId: run.runId, messageId: run.assistantMessage.id, provider: models[i]!.provider, model: models[i]!.model })),
      };
    },
  };
}
