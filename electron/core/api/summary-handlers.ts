import type { SummaryService } from '../summaries/summary-service.js';
import type { Handlers } from './router.js';

/** A chat's summaries: the one in effect, making one now, editing one, and when they are made. */
export function createSummaryHandlers(summaries: SummaryService): Pick<Handlers, `summaries.${string}` & keyof Handlers> {
  return {
    'summaries.current': ({ sessionId, leafId }) => summaries.current(sessionId, leafId),
    'summaries.create': ({ sessionId }) => summaries.create(sessionId),
    'summaries.update': ({ summaryId, text }) => summaries.edit(summaryId, text),
    'summaries.settings': async () => summaries.settings(),
    'summaries.updateSettings': async (change) => summaries.updateSettings(change),
  };
}
