import { z } from 'zod';
import { buildChat, type SourceNode, type SourcePart } from './foreign-tree.js';
import { chatSettings, hasKey, headStart, isoToMs, itemName, parseItem } from './foreign-common.js';
import type { ImportFormat } from './types.js';

/*
 * Claude.ai's conversations.json (Settings › Privacy › Export data): an array of conversations with their
 * `chat_messages`. Newer exports link each message to its parent (`parent_message_uuid`, so edits and retries are
 * branches); older ones are a plain list, chained in order. Thinking becomes reasoning, tool_use/tool_result tool
 * calls with their output, and an attachment's extracted text an attachment of the message (name, type, size and
 * that text; the export has no bytes). Files the export only names become a note in the message.
 */

const Block = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  name: z.string().nullish(),
  id: z.string().nullish(),
  tool_use_id: z.string().nullish(),
  input: z.unknown().optional(),
  content: z.unknown().optional(),
  is_error: z.boolean().nullish(),
});
type Block = z.infer<typeof Block>;

const Message = z.looseObject({
  uuid: z.string().min(1),
  sender: z.enum(['human', 'assistant']),
  text: z.string().nullish(),
  content: z.array(Block).nullish(),
  created_at: z.string().nullish(),
  attachments: z
    .array(
      z.looseObject({
        file_name: z.string().nullish(),
        file_size: z.number().int().nonnegative().nullish(),
        file_type: z.string().nullish(),
        extracted_content: z.string().nullish(),
      }),
    )
    .nullish(),
  files: z.array(z.looseObject({ file_name: z.string().nullish() })).nullish(),
  parent_message_uuid: z.string().nullish(),
});
type Message = z.infer<typeof Message>;

const Conversation = z.looseObject({
  uuid: z.string().min(1),
  name: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  model: z.string().nullish(),
  current_leaf_message_uuid: z.string().nullish(),
  chat_messages: z.array(Message),
});

/** Claude marks a first message's parent with a zero UUID (only its version and variant digits may be set). */
const ROOT_PARENT = /^0{8}-0{4}-[0-9a-f]0{3}-[0-9a-f]0{3}-0{12}$/i;

export const claudeFormat: ImportFormat = {
  id: 'claude',
  label: 'a Claude export',
  items: { kind: 'root-array' },
  sniff(head) {
    const text = headStart(head);
    return text.startsWith('[') && hasKey(text, 'chat_messages') && !hasKey(text, 'mapping');
  },
  toChats(item, index) {
    const where = itemName(index, item, ['uuid'], ['name']);
    const conv = parseItem(Conversation, item, where);
    const model = conv.model ?? null;
    const nodes = conv.chat_messages.map((message, i): SourceNode => {
      const previous = i > 0 ? conv.chat_messages[i - 1]!.uuid : null;
      // A message without a parent link (every message of an older export) follows the one before it.
      const linked = message.parent_message_uuid;
      const parentId = linked === undefined || linked === null ? previous : ROOT_PARENT.test(linked) ? null : linked;
      const parts = messageParts(message);
      return {
        id: message.uuid,
        parentId,
        role: message.sender === 'human' ? 'user' : 'assistant',
        treatment: parts.length > 0 ? 'keep' : 'skip',
        parts,
        createdAt: isoToMs(message.created_at),
        provider: message.sender === 'assistant' ? 'anthropic' : null,
        model: message.sender === 'assistant' ? model : null,
        path: `chat_messages.${i}`,
      };
    });
    return [
      buildChat({
        format: 'claude',
        id: conv.uuid,
        title: conv.name ?? null,
        createdAt: isoToMs(conv.created_at),
        updatedAt: isoToMs(conv.updated_at),
        settings: chatSettings('anthropic', model),
        nodes,
        activeId: conv.current_leaf_message_uuid ?? null,
        where,
        parentField: 'parent_message_uuid',
        activeField: 'current_leaf_message_uuid',
      }),
    ];
  },
};

function messageParts(message: Message): SourcePart[] {
  const parts: SourcePart[] = [];
  for (const block of message.content ?? []) parts.push(...blockParts(block));
  // Older exports have only `text`; newer ones repeat the content's text there, so it is used only without content text.
  if (!parts.some((p) => p.type === 'text') && message.text?.trim()) parts.push({ type: 'text', text: message.text });
  for (const a of message.attachments ?? []) {
    const name = a.file_name?.trim() || 'attachment';
    if (a.extracted_content) parts.push({ type: 'attachment', name, mimeType: mimeOf(a.file_type), size: a.file_size ?? null, text: a.extracted_content });
    else parts.push({ type: 'text', text: `[attachment: ${name}]` });
  }
  for (const f of message.files ?? []) if (f.file_name?.trim()) parts.push({ type: 'text', text: `[file: ${f.file_name.trim()}]` });
  return parts;
}

function blockParts(block: Block): SourcePart[] {
  switch (block.type) {
    case 'text':
      return block.text?.trim() ? [{ type: 'text', text: block.text }] : [];
    case 'thinking':
      return block.thinking?.trim() ? [{ type: 'reasoning', text: block.thinking }] : [];
    case 'tool_use':
      return [{ type: 'tool-call', tool: block.name ?? 'tool', input: block.input ?? null, callId: block.id ?? null }];
    case 'tool_result':
      return [{ type: 'tool-result', output: resultOutput(block.content), isError: block.is_error === true, callId: block.tool_use_id ?? null }];
    default:
      return block.text?.trim() ? [{ type: 'text', text: block.text }] : [];
  }
}

/** A tool result's content: its text when it is a list of text blocks (the usual case), else as exported. */
function resultOutput(content: unknown): unknown {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.every((c) => c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string')) {
    return content.map((c) => (c as { text: string }).text).join('\n');
  }
  return content ?? null;
}

/** Claude gives a file's type as a MIME type or as an extension ("txt", "pdf"). */
function mimeOf(type: string | null | undefined): string {
  if (!type) return 'text/plain';
  if (type.includes('/')) return type;
  const known: Record<string, string> = { pdf: 'application/pdf', md: 'text/markdown', csv: 'text/csv', json: 'application/json', html: 'text/html' };
  return known[type.toLowerCase()] ?? 'text/plain';
}
