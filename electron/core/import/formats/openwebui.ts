import { z } from 'zod';
import { modelCatalog } from '../../../../shared/index.js';
import { buildChat, type SourceNode, type SourcePart } from './foreign-tree.js';
import { chatSettings, epochToMs, hasKey, headStart, itemName, parseItem } from './foreign-common.js';
import type { ImportFormat } from './types.js';

/*
 * Open WebUI's chat export (Settings › Chats › Export chats): an array of chats, each with `chat.history.messages`
 * (message id → {parentId, childrenIds, role, content, timestamp, model}) and `currentId`, the message shown. Older
 * exports without a history have only `chat.messages`, a list (linked by parentId where it has one, else in order).
 * A leading "reasoning" details block (how Open WebUI stores thinking) becomes the answer's reasoning.
 */

const Message = z.looseObject({
  id: z.string().nullish(),
  parentId: z.string().nullish(),
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string(),
  timestamp: z.number().nullish(),
  model: z.string().nullish(),
  /** Newer versions: the answer as items (reasoning, function calls and their outputs, message text). */
  output: z.array(z.looseObject({ type: z.string() })).nullish(),
  files: z.array(z.looseObject({ name: z.string().nullish(), file: z.looseObject({ filename: z.string().nullish() }).nullish() })).nullish(),
});
type Message = z.infer<typeof Message>;

const Chat = z.looseObject({
  id: z.string().min(1),
  title: z.string().nullish(),
  created_at: z.number().nullish(),
  updated_at: z.number().nullish(),
  chat: z.looseObject({
    title: z.string().nullish(),
    models: z.array(z.string()).nullish(),
    history: z.looseObject({ messages: z.record(z.string(), Message), currentId: z.string().nullish() }).nullish(),
    messages: z.array(Message).nullish(),
  }),
});

/** `<details type="reasoning" …><summary>…</summary> > thought lines </details>`: Open WebUI's stored thinking. */
const REASONING = /<details\s+type="reasoning"[^>]*>([\s\S]*?)<\/details>/g;

export const openwebuiFormat: ImportFormat = {
  id: 'openwebui',
  label: 'an Open WebUI export',
  items: { kind: 'root-array' },
  sniff(head) {
    const text = headStart(head);
    if (!text.startsWith('[') || hasKey(text, 'mapping') || hasKey(text, 'chat_messages')) return false;
    // A chat object holding a history (or, in older exports, a list of messages with roles).
    const chat = hasKey(text, 'history') || /"chat"\s*:\s*\{/.test(text);
    return chat && (hasKey(text, 'currentId') || hasKey(text, 'childrenIds') || hasKey(text, 'user_id') || hasKey(text, 'role'));
  },
  toChats(item, index) {
    const where = itemName(index, item, ['id'], ['title']);
    const conv = parseItem(Chat, item, where);
    const history = conv.chat.history;
    const fromHistory = history && Object.keys(history.messages).length > 0;
    const nodes: SourceNode[] = fromHistory
      ? Object.entries(history.messages).map(([id, m]) => toNode(id, m.parentId ?? null, m, `chat.history.messages.${id}`))
      : (conv.chat.messages ?? []).map((m, i, all) => {
          const id = m.id ?? `message-${i}`;
          const previous = i > 0 ? (all[i - 1]!.id ?? `message-${i - 1}`) : null;
          return toNode(id, m.parentId === undefined ? previous : m.parentId, m, `chat.messages.${i}`);
        });
    const model = conv.chat.models?.[0] ?? null;
    return [
      buildChat({
        format: 'openwebui',
        id: conv.id,
        title: conv.title ?? conv.chat.title ?? null,
        createdAt: epochToMs(conv.created_at),
        updatedAt: epochToMs(conv.updated_at),
        settings: chatSettings(providerOf(model), model),
        nodes,
        activeId: fromHistory ? (history.currentId ?? null) : null,
        where,
        parentField: 'parentId',
        activeField: 'chat.history.currentId',
      }),
    ];
  },
};

function toNode(id: string, parentId: string | null, message: Message, path: string): SourceNode {
  const parts = messageParts(message);
  const keep = parts.length > 0;
  return {
    id,
    parentId,
    role: message.role,
    treatment: keep ? 'keep' : 'skip',
    parts,
    createdAt: epochToMs(message.timestamp),
    provider: message.role === 'assistant' ? providerOf(message.model ?? null) : null,
    model: message.role === 'assistant' ? (message.model ?? null) : null,
    path,
  };
}

function messageParts(message: Message): SourcePart[] {
  const parts: SourcePart[] = message.role === 'assistant' && message.output?.length ? outputParts(message.output) : contentParts(message);
  for (const file of message.files ?? []) {
    const name = file.name ?? file.file?.filename;
    if (name) parts.push({ type: 'text', text: `[file: ${name}]` });
  }
  return parts;
}

/** The answer's output items (newer Open WebUI): what the content string only renders as HTML. */
function outputParts(output: ({ type: string } & Record<string, unknown>)[]): SourcePart[] {
  const parts: SourcePart[] = [];
  for (const item of output) {
    const text = itemText(item.content ?? item.output);
    if (item.type === 'reasoning' && text.trim()) parts.push({ type: 'reasoning', text });
    else if (item.type === 'message' && text.trim()) parts.push({ type: 'text', text });
    else if (item.type === 'function_call') {
      const args = typeof item.arguments === 'string' ? item.arguments : '';
      parts.push({
        type: 'tool-call',
        tool: typeof item.name === 'string' ? item.name : 'tool',
        input: parseArguments(args),
        callId: typeof item.call_id === 'string' ? item.call_id : null,
      });
    } else if (item.type === 'function_call_output') {
      parts.push({ type: 'tool-result', output: text, isError: false, callId: typeof item.call_id === 'string' ? item.call_id : null });
    }
  }
  return parts;
}

/** Text of an output item's content: a string, or a list of {text} pieces. */
function itemText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c: unknown) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : ''))
    .join('');
}

function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

const ENTITIES: Record<string, string> = { '&gt;': '>', '&lt;': '<', '&amp;': '&', '&quot;': '"', '&#39;': "'" };

function contentParts(message: Message): SourcePart[] {
  const parts: SourcePart[] = [];
  let text = message.content;
  if (message.role === 'assistant') {
    for (const match of text.matchAll(REASONING)) {
      const thought = match[1]!
        .replace(/<summary>[\s\S]*?<\/summary>/, '')
        .replace(/&(gt|lt|amp|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
        .split('\n')
        .map((line) => line.replace(/^>\s?/, ''))
        .join('\n')
        .trim();
      if (thought) parts.push({ type: 'reasoning', text: thought });
    }
    text = text.replace(REASONING, '').trim();
  }
  if (text.trim()) parts.push({ type: 'text', text });
  return parts;
}

/**
 * The Coda provider of an Open WebUI model: a catalog model's own, an Ollama tag ("llama3.1:8b") Ollama's; else
 * unknown (Open WebUI also fronts servers the app cannot tell apart).
 */
function providerOf(model: string | null): string | null {
  if (!model) return null;
  const known = modelCatalog.find((m) => m.id === model);
  if (known) return known.provider;
  return model.includes(':') ? 'ollama' : null;
}
