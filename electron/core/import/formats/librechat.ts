import { z } from 'zod';
import { buildChat, type SourceNode, type SourcePart } from './foreign-tree.js';
import { chatSettings, hasKey, headStart, invalid, isoToMs, itemName, parseItem } from './foreign-common.js';
import type { ImportFormat } from './types.js';

/*
 * LibreChat's per-conversation JSON export (the conversation's Export › JSON): one conversation whose `messages` are
 * either a flat list linked by `parentMessageId` (a root's parent is the all-zero UUID) or, with "recursive", a tree
 * whose answers and follow-ups nest in `children`. Content parts give thinking (reasoning) and tool calls with their
 * output; the endpoint says which provider answered.
 */

const Part = z.looseObject({
  type: z.string(),
  text: z.union([z.string(), z.looseObject({ value: z.string() })]).nullish(),
  think: z.union([z.string(), z.looseObject({ value: z.string() })]).nullish(),
  tool_call: z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), args: z.unknown().optional(), output: z.unknown().optional() }).nullish(),
});
type Part = z.infer<typeof Part>;

const Message = z.looseObject({
  messageId: z.string().min(1),
  parentMessageId: z.string().nullish(),
  text: z.string().nullish(),
  isCreatedByUser: z.boolean(),
  model: z.string().nullish(),
  endpoint: z.string().nullish(),
  createdAt: z.string().nullish(),
  content: z.array(Part).nullish(),
  files: z.array(z.looseObject({ filename: z.string().nullish() })).nullish(),
  children: z.array(z.unknown()).nullish(),
});
type Message = z.infer<typeof Message>;

const Conversation = z.looseObject({
  conversationId: z.string().min(1),
  title: z.string().nullish(),
  endpoint: z.string().nullish(),
  recursive: z.boolean().nullish(),
  options: z.looseObject({ model: z.string().nullish(), endpoint: z.string().nullish() }).nullish(),
  messages: z.array(z.unknown()).nullish(),
  /** What older versions called the nested list. */
  messagesTree: z.array(z.unknown()).nullish(),
});

const NO_PARENT = '00000000-0000-0000-0000-000000000000';

/** LibreChat's endpoints as the app's providers (custom endpoints are servers the app cannot name). */
const PROVIDERS: Record<string, string> = { openAI: 'openai', anthropic: 'anthropic', google: 'gemini', azureOpenAI: 'azure', ollama: 'ollama' };

export const librechatFormat: ImportFormat = {
  id: 'librechat',
  label: 'a LibreChat export',
  items: { kind: 'root-object' },
  sniff(head) {
    const text = headStart(head);
    if (!text.startsWith('{') || /"format"\s*:\s*"coda-export"/.test(text)) return false;
    return hasKey(text, 'conversationId') && (hasKey(text, 'messages') || hasKey(text, 'messagesTree') || hasKey(text, 'messageId'));
  },
  toChats(item, index) {
    const where = itemName(index, item, ['conversationId'], ['title']);
    const conv = parseItem(Conversation, item, where);
    const top = conv.messages ?? conv.messagesTree;
    if (!top) throw invalid(`${where}: field messages: the conversation has no "messages" list.`);
    const listKey = conv.messages ? 'messages' : 'messagesTree';
    const nodes = flatten(top, listKey, where);
    const endpoint = conv.endpoint ?? conv.options?.endpoint ?? null;
    const provider = endpoint ? (PROVIDERS[endpoint] ?? null) : null;
    let lastModel: string | null = null;
    for (const node of nodes) if (node.model) lastModel = node.model;
    return [
      buildChat({
        format: 'librechat',
        id: conv.conversationId,
        title: conv.title ?? null,
        createdAt: null,
        updatedAt: null,
        settings: chatSettings(provider, conv.options?.model ?? null, lastModel),
        nodes,
        activeId: null,
        where,
        parentField: 'parentMessageId',
        activeField: 'messages',
      }),
    ];
  },
};

/**
 * The messages, flat, parents before children. In the nested form a message's parent is the one it is nested in
 * (LibreChat builds the nesting from the links); walked with a stack, not recursion.
 */
function flatten(top: unknown[], listKey: string, where: string): SourceNode[] {
  const nodes: SourceNode[] = [];
  const stack: { raw: unknown; path: string; parent: string | null | undefined }[] = [];
  for (let i = top.length - 1; i >= 0; i--) stack.push({ raw: top[i], path: `${listKey}.${i}`, parent: undefined });
  while (stack.length > 0) {
    const { raw, path, parent } = stack.pop()!;
    const message = parseItem(Message, raw, `${where}, message at ${path}`);
    const linked = message.parentMessageId && message.parentMessageId !== NO_PARENT ? message.parentMessageId : null;
    nodes.push(toNode(message, parent === undefined ? linked : parent, path));
    const children = message.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ raw: children[i], path: `${path}.children.${i}`, parent: message.messageId });
  }
  return nodes;
}

function toNode(message: Message, parentId: string | null, path: string): SourceNode {
  const parts = messageParts(message);
  const assistant = !message.isCreatedByUser;
  return {
    id: message.messageId,
    parentId,
    role: assistant ? 'assistant' : 'user',
    treatment: parts.length > 0 ? 'keep' : 'skip',
    parts,
    createdAt: isoToMs(message.createdAt),
    provider: assistant && message.endpoint ? (PROVIDERS[message.endpoint] ?? null) : null,
    model: assistant ? (message.model ?? null) : null,
    path,
  };
}

function messageParts(message: Message): SourcePart[] {
  const parts: SourcePart[] = [];
  for (const part of message.content ?? []) parts.push(...partOf(part));
  if (!parts.some((p) => p.type === 'text') && message.text?.trim()) parts.push({ type: 'text', text: message.text });
  for (const file of message.files ?? []) if (file.filename) parts.push({ type: 'text', text: `[file: ${file.filename}]` });
  return parts;
}

function partOf(part: Part): SourcePart[] {
  const value = (v: Part['text']) => (typeof v === 'string' ? v : (v?.value ?? ''));
  switch (part.type) {
    case 'text': {
      const text = value(part.text);
      return text.trim() ? [{ type: 'text', text }] : [];
    }
    case 'think': {
      const text = value(part.think);
      return text.trim() ? [{ type: 'reasoning', text }] : [];
    }
    case 'tool_call': {
      const call = part.tool_call;
      if (!call) return [];
      const callId = call.id ?? null;
      const input = typeof call.args === 'string' ? parseArgs(call.args) : (call.args ?? null);
      const made: SourcePart[] = [{ type: 'tool-call', tool: call.name ?? 'tool', input, callId }];
      if (call.output !== undefined && call.output !== null) made.push({ type: 'tool-result', output: call.output, isError: false, callId });
      return made;
    }
    default:
      return [];
  }
}

function parseArgs(args: string): unknown {
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}
