import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Message } from '../../shared/index.js';
import { exportChats } from '../../electron/core/export/json-export.js';
import { ExportReader } from '../../electron/core/store/repositories/export-reader.js';
import { MessagesRepository } from '../../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/default-settings.js';
import type { TestCore } from './core.js';
import { completeAnswer } from './seed.js';

const BY = { provider: 'openai', model: 'gpt-4.1-mini' };

/**
 * Seeds `chats` chats of `exchanges` question/answer pairs straight into a test core's store (non-ASCII text
 * included, so byte splits land inside characters) and writes their real Coda export to `dir`; returns the file.
 */
export async function writeCodaExport(
  t: TestCore,
  dir: string,
  options: { chats: number; exchanges: number; answer?: (c: number, e: number) => string },
): Promise<string> {
  const sessions = new SessionsRepository(t.core.store);
  const messages = new MessagesRepository(t.core.store);
  const ids: string[] = [];
  for (let c = 0; c < options.chats; c++) {
    const session = await sessions.create({ title: `Fixture chat ${c} — café ☕`, titleSource: 'user', settings: { ...DEFAULT_SETTINGS, enabledTools: [] } });
    ids.push(session.id);
    let parent: Message | null = null;
    for (let e = 0; e < options.exchanges; e++) {
      const { assistant } = await messages.addExchange(session.id, parent, `Question ${e} of chat ${c}: naïve 😀?`, {
        ...BY,
        estimatedInputTokens: null,
        traceId: null,
      });
      parent = await messages.finish(assistant.id, completeAnswer(options.answer?.(c, e) ?? `Answer ${e} — « ok » 🚀`, BY));
    }
  }
  const file = path.join(dir, `fixture-${options.chats}x${options.exchanges}-${Date.now()}.json`);
  await exportChats({ reader: new ExportReader(t.core.store), chatIds: ids, format: 'json', outFile: file });
  return file;
}

export const readText = (file: string) => readFile(file, 'utf8');
