import { CodaError, EXPORT_FORMAT, EXPORT_VERSION, ExportedChat, type ExportFileFormat } from '../../../shared/index.js';
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
  if (format === 'json') return `${index === 0 ? '' : ',\n'}${JSON.stringify(importable(chat))}`;
  if (format === 'html') return chatHtml(chat);
  return `${index === 0 ? '' : '\n---\n\n'}${chatMarkdown(chat)}`;
}

/**
 * Checks a chat against the schema the importer reads with before it is written, so an export never contains a record
 * the importer would refuse: a stored value the reader could not map fails the export, naming the chat and the field.
 */
function importable(chat: ExportedChat): ExportedChat {
  const result = ExportedChat.safeParse(chat);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new CodaError(
    'internal',
    `Chat "${chat.title}" (${chat.id}) cannot be exported: its field ${issue.path.map(String).join('.')} is not valid (${issue.message}).`,
  );
}

export function footerPiece(format: ExportFileFormat): string {
  if (format === 'html') return htmlFooter();
  return format === 'json' ? '\n]}\n' : '';
}
