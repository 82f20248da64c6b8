import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportedChat } from '../../../shared/index.js';
import { APP_VERSION } from '../version.js';
import type { ExportReader } from '../store/repositories/export-reader.js';
import { chatMarkdown } from './markdown.js';

export type ExportFormat = 'json' | 'md';

/** How far an export is: `done` of `total` chats written. */
export interface ExportProgress {
  done: number;
  total: number;
  chatId: string;
}

export interface ExportResult {
  chats: number;
  messages: number;
  bytes: number;
}

/**
 * Writes chats to `outFile`, one chat at a time (read, written, let go), so exporting every chat never holds the
 * database in memory. Written to a temporary file beside the target and renamed at the end: a failed export leaves
 * no half-written file where the user expects one.
 */
export async function exportChats(options: {
  reader: ExportReader;
  chatIds: string[];
  format: ExportFormat;
  outFile: string;
  onProgress?: (progress: ExportProgress) => void;
  now?: () => number;
}): Promise<ExportResult> {
  const { reader, chatIds, format, outFile } = options;
  const temporary = `${outFile}.partial-${process.pid}`;
  const out = createWriteStream(temporary, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  let messages = 0;
  try {
    const header = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: (options.now ?? Date.now)(),
      app: { name: 'Coda Agent', version: APP_VERSION },
    };
    if (format === 'json') await write(`${JSON.stringify(header).slice(0, -1)},"chats":[\n`);
    for (const [index, chatId] of chatIds.entries()) {
      const chat: ExportedChat = await reader.chat(chatId);
      messages += chat.messages.length;
      if (format === 'json') await write(`${index === 0 ? '' : ',\n'}${JSON.stringify(chat)}`);
      else await write(`${index === 0 ? '' : '\n\n---\n\n'}${chatMarkdown(chat)}`);
      options.onProgress?.({ done: index + 1, total: chatIds.length, chatId });
    }
    if (format === 'json') await write('\n]}\n');
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(temporary, outFile);
    return { chats: chatIds.length, messages, bytes: out.bytesWritten };
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
