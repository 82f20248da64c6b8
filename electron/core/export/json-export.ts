import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { ExportFileFormat } from '../../../shared/index.js';
import type { ExportReader } from '../store/repositories/export-reader.js';
import { chatPiece, footerPiece, headerPiece } from './pieces.js';

export type ExportFormat = ExportFileFormat;

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
    await write(headerPiece(format));
    for (const [index, chatId] of chatIds.entries()) {
      const chat = await reader.chat(chatId);
      messages += chat.messages.length;
      await write(chatPiece(format, chat, index));
      options.onProgress?.({ done: index + 1, total: chatIds.length, chatId });
    }
    await write(footerPiece(format));
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
