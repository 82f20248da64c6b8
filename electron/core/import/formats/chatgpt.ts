import { z } from 'zod';
import { buildChat, type SourceNode, type SourcePart } from './foreign-tree.js';
import { chatSettings, hasKey, headStart, invalid, itemName, parseItem, secondsToMs } from './foreign-common.js';
import type { ImportFormat } from './types.js';

/*
 * ChatGPT's conversations.json (Settings › Data controls › Export): an array of conversations, each a tree of nodes in
 * `mapping` (node id → {message | null, parent, children}) with `current_node` the leaf the user last saw. Every branch
 * is kept; nodes that are not messages in Coda's sense are dropped (the empty root, hidden system and context nodes)
 * or folded into the answer below them (thoughts, code and its output become its reasoning and tool calls).
 */

const ContentPiece = z.union([z.string(), z.looseObject({ content_type: z.string() })]);

const Content = z.looseObject({
  content_type: z.string(),
  parts: z.array(ContentPiece).nullish(),
  text: z.string().nullish(),
  language: z.string().nullish(),
  result: z.string().nullish(),
  content: z.string().nullish(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  thoughts: z.array(z.looseObject({ summary: z.string().nullish(), content: z.string().nullish() })).nullish(),
});

const Attachment = z.looseObject({ id: z.string().nullish(), name: z.string().nullish() });

const Message = z.looseObject({
  author: z.looseObject({ role: z.string(), name: z.string().nullish() }),
  create_time: z.number().nullish(),
  content: Content,
  recipient: z.string().nullish(),
  metadata: z
    .looseObject({
      model_slug: z.string().nullish(),
      attachments: z.array(Attachment).nullish(),
      is_visually_hidden_from_conversation: z.boolean().nullish(),
    })
    .nullish(),
});
type Message = z.infer<typeof Message>;

const Conversation = z.looseObject({
  title: z.string().nullish(),
  create_time: z.number().nullish(),
  update_time: z.number().nullish(),
  mapping: z.record(z.string(), z.looseObject({ message: Message.nullish(), parent: z.string().nullish() })),
  current_node: z.string().nullish(),
  conversation_id: z.string().min(1).nullish(),
  id: z.string().min(1).nullish(),
  default_model_slug: z.string().nullish(),
});

export const chatgptFormat: ImportFormat = {
  id: 'chatgpt',
  label: 'a ChatGPT export',
  items: { kind: 'root-array' },
  sniff(head) {
    const text = headStart(head);
    return text.startsWith('[') && hasKey(text, 'mapping') && (hasKey(text, 'current_node') || hasKey(text, 'create_time') || hasKey(text, 'conversation_id'));
  },
  toChats(item, index) {
    const where = itemName(index, item, ['conversation_id', 'id'], ['title']);
    const conv = parseItem(Conversation, item, where);
    const id = conv.conversation_id ?? conv.id;
    if (!id) throw invalid(`${where}: field conversation_id: neither "conversation_id" nor "id" is given, so the chat has no stable id.`);
    const nodes: SourceNode[] = Object.entries(conv.mapping).map(([nodeId, node]) => toNode(nodeId, node.parent ?? null, node.message ?? null));
    let lastModel: string | null = null;
    for (const node of nodes) if (node.model) lastModel = node.model;
    return [
      buildChat({
        format: 'chatgpt',
        id,
        title: conv.title ?? null,
        createdAt: secondsToMs(conv.create_time),
        updatedAt: secondsToMs(conv.update_time),
        settings: chatSettings('openai', conv.default_model_slug ?? null, lastModel),
        nodes,
        activeId: conv.current_node ?? null,
        where,
        parentField: 'parent',
        activeField: 'current_node',
      }),
    ];
  },
};

function toNode(id: string, parentId: string | null, message: Message | null): SourceNode {
  const base = { id, parentId, path: `mapping.${id}`, createdAt: secondsToMs(message?.create_time), provider: null, model: null };
  if (!message) return { ...base, role: 'system', treatment: 'skip', parts: [] };
  const role = message.author.role;
  const type = message.content.content_type;
  const hidden = message.metadata?.is_visually_hidden_from_conversation === true || type === 'user_editable_context' || type === 'model_editable_context';
  const parts = contentParts(message);
  if (hidden || parts.length === 0) return { ...base, role: 'system', treatment: 'skip', parts: [] };
  if (role === 'user') return { ...base, role: 'user', treatment: 'keep', parts };
  if (role === 'system') return { ...base, role: 'system', treatment: 'keep', parts };
  const model = message.metadata?.model_slug ?? null;
  const answer = { ...base, role: 'assistant' as const, provider: 'openai', model };
  if (role === 'tool') {
    // A tool's output (code interpreter, browsing, image generation) answers the call folded above it.
    const output = parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
    return { ...answer, treatment: 'fold', parts: [{ type: 'tool-result', output, isError: type === 'system_error', callId: null }] };
  }
  const recipient = message.recipient ?? 'all';
  if (type === 'code' || recipient !== 'all') {
    const input = type === 'code' ? { language: message.content.language ?? null, code: message.content.text ?? '' } : textOf(parts);
    return { ...answer, treatment: 'fold', parts: [{ type: 'tool-call', tool: recipient === 'all' ? 'python' : recipient, input, callId: null }] };
  }
  if (type === 'thoughts' || type === 'reasoning_recap') return { ...answer, treatment: 'fold', parts };
  return { ...answer, treatment: 'keep', parts };
}

function textOf(parts: SourcePart[]): string {
  return parts.map((p) => (p.type === 'text' || p.type === 'reasoning' ? p.text : '')).join('\n');
}

/** The message's content as parts: text, image and file notes, thoughts as reasoning. */
function contentParts(message: Message): SourcePart[] {
  const content = message.content;
  const attachments = message.metadata?.attachments ?? [];
  const named = new Map(attachments.filter((a) => a.id && a.name).map((a) => [a.id!, a.name!]));
  const shown = new Set<string>();
  const texts: string[] = [];
  switch (content.content_type) {
    case 'thoughts':
      return (content.thoughts ?? [])
        .map((t) => [t.summary, t.content].filter((s) => s && s.trim() !== '').join('\n\n'))
        .filter((text) => text !== '')
        .map((text) => ({ type: 'reasoning', text }));
    case 'reasoning_recap':
      return content.content?.trim() ? [{ type: 'reasoning', text: content.content }] : [];
    case 'code':
    case 'execution_output':
    case 'system_error':
      if (content.text) texts.push(content.text);
      break;
    case 'tether_browsing_display':
      if (content.result) texts.push(content.result);
      break;
    case 'tether_quote':
      texts.push([content.title, content.url, content.text].filter(Boolean).join('\n'));
      break;
    default:
      for (const piece of content.parts ?? []) {
        if (typeof piece === 'string') texts.push(piece);
        else texts.push(pieceNote(piece, named, shown));
      }
      if (!content.parts && content.text) texts.push(content.text);
  }
  // Files the export names but does not carry: a note, so the question still says what it was about.
  for (const a of attachments) if (a.name && !(a.id && shown.has(a.id))) texts.push(`[attachment: ${a.name}]`);
  const text = texts.filter((t) => t.trim() !== '').join('\n\n');
  return text === '' ? [] : [{ type: 'text', text }];
}

/** A non-text piece of a multimodal message as a short note (the export has no image bytes). */
function pieceNote(piece: { content_type: string } & Record<string, unknown>, named: Map<string, string>, shown: Set<string>): string {
  if (piece.content_type === 'image_asset_pointer') {
    const pointer = typeof piece.asset_pointer === 'string' ? piece.asset_pointer : '';
    const fileId = pointer.replace(/^[a-z-]+:\/\//, '');
    const name = named.get(fileId);
    if (name) shown.add(fileId);
    return `[image: ${name ?? (fileId || 'not in the export')}]`;
  }
  if (piece.content_type === 'audio_transcription' && typeof piece.text === 'string') return piece.text;
  if (piece.content_type === 'audio_asset_pointer') return '[audio]';
  return typeof piece.text === 'string' ? piece.text : `[${piece.content_type}]`;
}
