import { chatPiece, footerPiece, headerPiece } from '../export/pieces.js';
import type { ExportReader } from '../store/repositories/export-reader.js';
import type { Handlers } from './router.js';

/** Export files made piece by piece by the caller (see shared/contract/export-methods.ts). */
export function createExportHandlers(reader: ExportReader): Pick<Handlers, 'export.chatIds' | 'export.piece'> {
  return {
    'export.chatIds': async () => ({ ids: await reader.liveChatIds() }),
    'export.piece': async ({ format, piece }) => {
      if (piece.kind === 'header') return { text: headerPiece(format) };
      if (piece.kind === 'footer') return { text: footerPiece(format) };
      return { text: chatPiece(format, await reader.chat(piece.sessionId), piece.index) };
    },
  };
}
