import {
  type ExportedChat,
  type MessageOrigin,
  type ImportConflictMode as ConflictMode,
  type ImportedChatOutcome,
  type ImportReport,
} from '../../../shared/index.js';
import type { ImportWriter } from '../store/repositories/import-writer.js';
import { newId } from '../util/ids.js';

export type { ConflictMode, ImportReport };

/** Totals of a report from what happened to each chat. */
export function reportOf(chats: ImportedChatOutcome[]): ImportReport {
  const done = chats.filter((c) => c.outcome === 'imported' || c.outcome === 'replaced' || c.outcome === 'copied');
  return {
    chats,
    imported: done.length,
    skipped: chats.filter((c) => c.outcome === 'skipped').length,
    failed: chats.filter((c) => c.outcome === 'failed').length,
    messages: done.reduce((n, c) => n + ('messages' in c ? c.messages : 0), 0),
  };
}

/**
 * Writes one checked chat in its own transaction, as the conflict choice says; a failed write leaves none of it.
 * `copiedIds` (old id -> new id of every row copied so far from the same file) lets a merged message's origin in a
 * later chat follow its copy.
 */
export async function importChat(chat: ExportedChat, writer: ImportWriter, mode: ConflictMode, copiedIds: Map<string, string>): Promise<ImportedChatOutcome> {
  const base = { id: chat.id, title: chat.title };
  const messages = chat.messages.length;
  try {
    const clash = await writer.clash(chat);
    if (!clash.chatExists && clash.ownRowIds.length === 0 && clash.foreignRowIds.length === 0) {
      await writer.write(chat, false);
      return { outcome: 'imported', ...base, messages };
    }
    if (mode === 'skip') {
      const reason = clash.chatExists ? 'a chat with this id is already here' : `${clash.foreignRowIds.length} of its ids are already in another chat`;
      return { outcome: 'skipped', ...base, reason };
    }
    if (mode === 'replace') {
      // Replacing deletes the chat of the same id (its rows go with it); rows of other chats are never overwritten.
      if (clash.foreignRowIds.length > 0) {
        return { outcome: 'skipped', ...base, reason: `${clash.foreignRowIds.length} of its ids belong to another chat; import it as a copy instead` };
      }
      await writer.write(chat, clash.chatExists);
      return { outcome: clash.chatExists ? 'replaced' : 'imported', ...base, messages };
    }
    const ids = new Map(copiedIds);
    const copy = withNewIds(chat, ids);
    await writer.write(copy, false);
    for (const [from, to] of ids) copiedIds.set(from, to);
    return { outcome: 'copied', id: copy.id, fromId: chat.id, title: chat.title, messages };
  } catch (error) {
    return { outcome: 'failed', ...base, reason: `nothing of it was written: ${(error as Error).message}` };
  }
}

/** The chat as a copy: new ids for it and every row in it, with every link between them remapped. */
export function withNewIds(chat: ExportedChat, ids = new Map<string, string>()): ExportedChat {
  const fresh = (id: string) => {
    const made = newId();
    ids.set(id, made);
    return made;
  };
  const mapped = (id: string) => ids.get(id) ?? id;
  const maybe = (id: string | null) => (id === null ? null : mapped(id));
  const chatId = fresh(chat.id);
  const messages = chat.messages.map((m) => {
    const id = fresh(m.id);
    const steps = m.steps.map((s) => ({ ...s, id: fresh(s.id) }));
    return {
      ...m,
      id,
      parentId: maybe(m.parentId),
      steps,
      toolCalls: m.toolCalls.map((c) => ({ ...c, id: fresh(c.id), stepId: maybe(c.stepId) })),
    };
  });
  const summaries = chat.summaries.map((s) => ({ ...s, id: fresh(s.id) }));
  // After every message has its new id: an origin may name a message later in the file's order.
  const origins = messages.map((m) => ({ ...m, origin: m.origin && remapOrigin(m.origin, mapped) }));
  return {
    ...chat,
    id: chatId,
    activeLeafId: maybe(chat.activeLeafId),
    messages: origins,
    attachments: chat.attachments.map((a) => ({ ...a, id: fresh(a.id), messageId: maybe(a.messageId) })),
    summaries: summaries.map((s) => ({
      ...s,
      fromMessageId: mapped(s.fromMessageId),
      toMessageId: mapped(s.toMessageId),
      previousId: maybe(s.previousId),
    })),
  };
}

/**
 * A merged message's origin in a copy: ids of rows copied in this import (this chat's, or a chat earlier in the same
 * file) become their copies' ids; ids of anything else stay as recorded (the origin still names where it came from).
 */
function remapOrigin(origin: MessageOrigin, mapped: (id: string) => string): MessageOrigin {
  if (origin.kind === 'copied') return { ...origin, sessionId: mapped(origin.sessionId), messageId: mapped(origin.messageId) };
  return { ...origin, sessionId: mapped(origin.sessionId), messageIds: origin.messageIds.map(mapped) };
}
