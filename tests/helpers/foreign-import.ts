import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ExportedChat, type ExportedMessage } from '../../shared/index.js';
import { checkChat } from '../../electron/core/import/chat-checks.js';
import type { ImportFormat } from '../../electron/core/import/formats/types.js';
import { ExportReader } from '../../electron/core/store/repositories/export-reader.js';
import { ImportWriter } from '../../electron/core/store/repositories/import-writer.js';
import type { TestCore } from './core.js';

/* Shared by the tests of the other apps' formats: fixtures, the Coda checks every chat must pass, and a real store. */

const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

export async function fixtureText(name: string): Promise<string> {
  return readFile(`${fixtures}${name}`, 'utf8');
}

export async function fixture(name: string): Promise<unknown> {
  return JSON.parse(await fixtureText(name)) as unknown;
}

/** The file's items as chats, checked by the Coda importer's own validation (schema and link rules). */
export function convert(format: ImportFormat, items: unknown[]): ExportedChat[] {
  const chats = items.flatMap((item, index) => format.toChats(item, index));
  for (const chat of chats) ExportedChat.parse(chat);
  // Through JSON, as a file would carry them: the schema and link rules of a Coda import.
  (JSON.parse(JSON.stringify(chats)) as unknown[]).forEach((chat, index) => checkChat(chat, index));
  return chats;
}

/** Writes the chats into the core's store as an import does, and reads each back as the export reader sees it. */
export async function storeAndReadBack(t: TestCore, chats: ExportedChat[]): Promise<ExportedChat[]> {
  const writer = new ImportWriter(t.core.store);
  for (const chat of chats) await writer.write(chat, false);
  const reader = new ExportReader(t.core.store);
  return Promise.all(chats.map((c) => reader.chat(c.id)));
}

/** The message whose text starts with this. */
export function message(chat: ExportedChat, start: string): ExportedMessage {
  const found = chat.messages.find((m) => m.text.startsWith(start));
  if (!found) throw new Error(`No message starting with ${JSON.stringify(start)} in ${chat.messages.map((m) => m.text.slice(0, 30)).join(' | ')}`);
  return found;
}

/** Role and first characters of each message from the root to the leaf: the conversation the user sees. */
export function activePath(chat: ExportedChat, leafId = chat.activeLeafId): string[] {
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  const path: string[] = [];
  for (let m = leafId ? byId.get(leafId) : undefined; m; m = m.parentId ? byId.get(m.parentId) : undefined) path.unshift(`${m.role}: ${m.text.slice(0, 24)}`);
  return path;
}

/** The chat with its messages and attachments in id order (the export reader orders by depth). */
export function sortedChat(chat: ExportedChat): ExportedChat {
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
  return { ...chat, messages: byId(chat.messages), attachments: byId(chat.attachments) };
}
