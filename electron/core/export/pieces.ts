import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedChat, type ExportFileFormat } from '../../../shared/index.js';
import { APP_VERSION } from '../version.js';
import { chatHtml, htmlFooter, htmlHeader } from './html.js';
import { chatMarkdown } from './markdown.js';

/*
 * An export file is its header, then each chat, then its footer, concatenated: the CLI writes them to disk, the app
 * asks for them one by one (export.piece) and joins them in a download. Either way one chat is in memory at a time.
 */

export function headerPiece(format: ExportFileFormat, now = Date.now()): string {
  if (format === 'md') return '';
  if (format === 'html') return htmlHeader();
  const header = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now, app: { name: 'Coda Agent', version: APP_VERSION } };
  // The header object, left open for the chats array.
  return `${JSON.stringify(header).slice(0, -1)},"chats":[\n`;
}

/** `index` is the chat's place in the file (the first one has no separator before it). */
export function chatPiece(format: ExportFileFormat, chat: ExportedChat, index: number): string {
  if (format === 'json') return `${index === 0 ? '' : ',\n'}${JSON.stringify(chat)}`;
  if (format === 'html') return chatHtml(chat);
  return `${index === 0 ? '' : '\n---\n\n'}${chatMarkdown(chat)}`;
}

export function footerPiece(format: ExportFileFormat): string {
  if (format === 'html') return htmlFooter();
  return format === 'json' ? '\n]}\n' : '';
}
