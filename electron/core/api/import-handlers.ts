import { importCodaText } from '../import/import-file.js';
import type { AppEvents } from '../runs/app-events.js';
import type { ImportWriter } from '../store/repositories/import-writer.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';

/** Import of a Coda JSON export the app read from a file the user chose (see shared/contract/import-methods.ts). */
export function createImportHandlers(d: { writer: ImportWriter; sessions: SessionsRepository; appEvents: AppEvents }): Pick<Handlers, 'import.coda'> {
  return {
    'import.coda': async ({ text, onConflict }) => {
      const report = await importCodaText({ text, writer: d.writer, onConflict });
      // The sidebar learns of the new chats as of any other change.
      for (const chat of report.chats) {
        if (chat.outcome === 'skipped' || chat.outcome === 'failed') continue;
        const session = await d.sessions.find(chat.id);
        if (session) d.appEvents.emit({ type: 'session-changed', session });
      }
      return report;
    },
  };
}
