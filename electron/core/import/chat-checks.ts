import { ExportedChat } from '../../../shared/index.js';
import { invalid } from './limits.js';

/**
 * The checks every imported chat passes, whatever app the file comes from: the export schema (the same zod schema the
 * writer uses) and the links between its records (parents before children, steps and summaries in the chat). The
 * untrusted-input checks (nesting, string length, prototype keys) happen earlier, in read-items.ts, as the file streams.
 * Every error names the record (chat index and id, message id) and the field (the zod path).
 */

/** Chats that passed checkChat, so a pipeline that checks every format's output does not check a Coda chat twice. */
const checked = new WeakSet<ExportedChat>();

/**
 * One chat of a file against the export schema and the links the database enforces; `index` is its position in the
 * file's list. Throws a CodaError('validation') naming the chat, the record and the field (the zod path).
 */
export function checkChat(raw: unknown, index: number, listKey = 'chats'): ExportedChat {
  if (typeof raw === 'object' && raw !== null && checked.has(raw as ExportedChat)) return raw as ExportedChat;
  const result = ExportedChat.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(`${recordName(raw, index, issue.path)}: field ${[listKey, index, ...issue.path].map(String).join('.')}: ${issue.message}.`);
  }
  checkLinks(result.data, index);
  checked.add(result.data);
  return result.data;
}

/** "chat 2 (id …), message 5 (id …)" for a zod path inside a chat. */
function recordName(chat: unknown, index: number, path: PropertyKey[]): string {
  const c = (chat && typeof chat === 'object' ? chat : {}) as Record<string, unknown>;
  let name = `chat ${index}${typeof c.id === 'string' ? ` (id ${c.id})` : ''}`;
  const [list, at] = path;
  if ((list === 'messages' || list === 'attachments' || list === 'summaries') && typeof at === 'number' && Array.isArray(c[list])) {
    const record = (c[list] as unknown[])[at] as Record<string, unknown> | undefined;
    const kind = list.slice(0, -1);
    name += `, ${kind} ${at}${record && typeof record.id === 'string' ? ` (id ${record.id})` : ''}`;
  }
  return name;
}

/** The links the database enforces, checked here so a bad file gets a clear message instead of a constraint error. */
function checkLinks(chat: ExportedChat, index: number): void {
  const where = `chat ${index} (id ${chat.id})`;
  const depthOf = new Map<string, number>();
  const ids = new Set<string>([chat.id]);
  const unique = (id: string, what: string) => {
    if (ids.has(id)) throw invalid(`${where}: ${what} ${id} uses an id that appears twice.`);
    ids.add(id);
  };
  for (const message of chat.messages) {
    unique(message.id, 'message');
    if (message.parentId === null ? message.depth !== 0 : depthOf.get(message.parentId) !== message.depth - 1) {
      throw invalid(
        message.parentId !== null && !depthOf.has(message.parentId)
          ? `${where}, message ${message.id}: its parent ${message.parentId} is not an earlier message of the chat.`
          : `${where}, message ${message.id}: its depth ${message.depth} does not follow its parent's.`,
      );
    }
    depthOf.set(message.id, message.depth);
    const stepIds = new Set<string>();
    for (const step of message.steps) {
      unique(step.id, 'step');
      stepIds.add(step.id);
    }
    for (const call of message.toolCalls) {
      unique(call.id, 'tool call');
      if (call.stepId !== null && !stepIds.has(call.stepId)) {
        throw invalid(`${where}, message ${message.id}, tool call ${call.id}: its step ${call.stepId} is not a step of that message.`);
      }
    }
  }
  if (chat.activeLeafId !== null && !depthOf.has(chat.activeLeafId))
    throw invalid(`${where}: its active leaf ${chat.activeLeafId} is not one of its messages.`);
  for (const attachment of chat.attachments) {
    unique(attachment.id, 'attachment');
    if (attachment.messageId !== null && !depthOf.has(attachment.messageId)) {
      throw invalid(`${where}, attachment ${attachment.id}: its message ${attachment.messageId} is not in the chat.`);
    }
  }
  for (const summary of chat.summaries) {
    unique(summary.id, 'summary');
    for (const id of [summary.fromMessageId, summary.toMessageId]) {
      if (!depthOf.has(id)) throw invalid(`${where}, summary ${summary.id}: message ${id} is not in the chat.`);
    }
  }
}
