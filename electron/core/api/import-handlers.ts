import type { ImportReport } from '../../../shared/index.js';
import { detectFormat } from '../import/formats/index.js';
import { importCodaText, importFile } from '../import/import-file.js';
import type { ImportUploads } from '../import/uploads.js';
import type { AppEvents } from '../runs/app-events.js';
import type { ImportWriter } from '../store/repositories/import-writer.js';
import type { SessionsRepository } from '../store/repositories/sessions.js';
import type { Handlers } from './router.js';

type Deps = { writer: ImportWriter; sessions: SessionsRepository; appEvents: AppEvents; uploads: ImportUploads };

/** Import of a file the user chose in Settings › Import: whole for a small one, in pieces for any (see shared/contract/import-methods.ts). */
export function createImportHandlers(
  d: Deps,
): Pick<Handlers, 'import.coda' | 'import.detect' | 'import.begin' | 'import.chunk' | 'import.finish' | 'import.abort'> {
  // The sidebar learns of the new chats as of any other change.
  const announce = async (report: ImportReport) => {
    for (const chat of report.chats) {
      if (chat.outcome === 'skipped' || chat.outcome === 'failed') continue;
      const session = await d.sessions.find(chat.id);
      if (session) d.appEvents.emit({ type: 'session-changed', session });
    }
    return report;
  };
  return {
    'import.coda': async ({ text, onConflict }) => announce(await importCodaText({ text, writer: d.writer, onConflict })),
    'import.detect': async ({ head }) => {
      const format = detectFormat(head);
      return { format: format.id, label: format.label };
    },
    'import.begin': ({ name, size }) => d.uploads.begin(name, size),
    'import.chunk': ({ uploadId, index, data }) => d.uploads.chunk(uploadId, index, data),
    'import.finish': async ({ uploadId, from, onConflict }) =>
      announce(
        await d.uploads.finish(uploadId, (file) =>
          importFile({
            file,
            from,
            writer: d.writer,
            onConflict,
            onProgress: (progress) => d.appEvents.emit({ type: 'import-progress', progress: { uploadId, ...progress } }),
          }),
        ),
      ),
    'import.abort': async ({ uploadId }) => ({ aborted: await d.uploads.abort(uploadId) }),
  };
}
