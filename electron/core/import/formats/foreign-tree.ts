import { createHash } from 'node:crypto';
import type {
  ContentPart,
  ExportedAttachment,
  ExportedChat,
  ExportedMessage,
  ExportedToolCall,
  MessageRole,
  SessionSettings,
} from '../../../../shared/index.js';
import type { ImportFormatId } from './types.js';
import { deterministicId, importStamp, invalid } from './foreign-common.js';

/*
 * The tree every foreign format is turned into before it becomes a Coda chat. Formats describe each source message
 * (its source id, parent, role, parts, time) and how to treat it; this module checks the links (unknown parents,
 * cycles, an id twice), drops or folds the messages that are not messages in Coda's sense, re-parents what is below
 * them, and builds the export-schema chat with deterministic ids. Everything is iterative, so 10^5 siblings or a
 * 10^5-long chain cost linear time and no stack.
 */

/** A piece of a source message, in the source's order. */
export type SourcePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** A tool the model called (ChatGPT's code interpreter, Claude's tool_use). */
  | { type: 'tool-call'; tool: string; input: unknown; callId: string | null }
  /** What a tool returned: goes onto the call it answers (by callId, else the last call without output). */
  | { type: 'tool-result'; output: unknown; isError: boolean; callId: string | null }
  /** A file whose extracted text the export carries (kept as an attachment row with that text; no bytes). */
  | { type: 'attachment'; name: string; mimeType: string; size: number | null; text: string };

export interface SourceNode {
  /** The source's id of the message, unique in the conversation. */
  id: string;
  parentId: string | null;
  role: MessageRole;
  /**
   * keep: a message of the chat. skip: not shown (an empty system message, a hidden context node); its children hang
   * from its nearest kept ancestor. fold: part of the answer below it (ChatGPT's thoughts, code and its output); its
   * parts open the next assistant message below it, or it is kept as an assistant message of its own when there is
   * none (so nothing is lost).
   */
  treatment: 'keep' | 'skip' | 'fold';
  parts: SourcePart[];
  /** ms; null: its parent's time. */
  createdAt: number | null;
  provider: string | null;
  model: string | null;
  /** Where the message is in the item, for errors ("mapping.<id>", "chat_messages.3"). */
  path: string;
}

export interface SourceConversation {
  format: ImportFormatId;
  /** The source's id of the conversation (hashed into every id of the chat). */
  id: string;
  title: string | null;
  createdAt: number | null;
  updatedAt: number | null;
  settings: SessionSettings;
  nodes: SourceNode[];
  /** The source's current message (its visible branch); null: the newest leaf. */
  activeId: string | null;
  /** How errors name the conversation, its messages' parent field and its active-message field. */
  where: string;
  parentField: string;
  activeField: string;
}

type State = 'empty' | 'absorbs' | 'blocks';

/** What a kept message passes to its children: nothing (one shared array, not one per message). */
const NO_CARRY: readonly SourcePart[] = [];

/** The conversation as a Coda chat; throws a validation error naming the conversation, message and field. */
export function buildChat(src: SourceConversation): ExportedChat {
  const { order, children } = linkTree(src);
  const promoted = foldsKeptAlone(order, children);
  const chatKey = `${src.format}:${src.id}`;
  const chatCreated = src.createdAt ?? order.find((n) => n.createdAt !== null)?.createdAt ?? 0;

  const messages: ExportedMessage[] = [];
  const attachments: ExportedAttachment[] = [];
  const depthOf = new Map<string, number>();
  /** Per source id: the Coda id of its nearest kept ancestor-or-self, the parts carried below it, its time. */
  const keptAt = new Map<string, string | null>();
  const carryBelow = new Map<string, readonly SourcePart[]>();
  const timeOf = new Map<string, number>();
  for (const node of order) {
    const parentCodaId = node.parentId === null ? null : keptAt.get(node.parentId)!;
    const carry = node.parentId === null ? NO_CARRY : carryBelow.get(node.parentId)!;
    const time = node.createdAt ?? (node.parentId === null ? chatCreated : timeOf.get(node.parentId)!);
    timeOf.set(node.id, time);
    if (node.treatment === 'keep' || promoted.has(node)) {
      const depth = parentCodaId === null ? 0 : depthOf.get(parentCodaId)! + 1;
      const role = node.treatment === 'keep' ? node.role : 'assistant';
      const parts = carry.length === 0 ? node.parts : [...carry, ...node.parts];
      const built = buildMessage({ key: `${chatKey}:message:${node.id}`, node, role, parentId: parentCodaId, depth, time, parts });
      messages.push(built.message);
      attachments.push(...built.attachments);
      depthOf.set(built.message.id, depth);
      keptAt.set(node.id, built.message.id);
      carryBelow.set(node.id, NO_CARRY);
    } else {
      keptAt.set(node.id, parentCodaId);
      carryBelow.set(node.id, node.treatment === 'fold' ? [...carry, ...node.parts] : carry);
    }
  }

  let lastActivity = Math.max(src.updatedAt ?? 0, chatCreated);
  for (const m of messages) lastActivity = Math.max(lastActivity, m.createdAt);
  return {
    id: deterministicId(chatCreated, `${chatKey}:chat`),
    title: src.title?.trim() ? src.title.trim() : 'Untitled chat',
    titleSource: src.title?.trim() ? 'auto' : 'default',
    settings: src.settings,
    contextSummary: null,
    activeLeafId: activeLeaf(src, keptAt, messages),
    messageCount: messages.length,
    lastActivityAt: lastActivity,
    pinnedAt: null,
    createdAt: chatCreated,
    updatedAt: importStamp(lastActivity),
    deletedAt: null,
    messages,
    attachments,
    summaries: [],
  };
}

/** Checks the links (no id twice, parents exist, no cycle) and orders the nodes parents first (breadth first). */
function linkTree(src: SourceConversation): { order: SourceNode[]; children: Map<string, SourceNode[]> } {
  const byId = new Map<string, SourceNode>();
  for (const node of src.nodes) {
    if (byId.has(node.id)) throw invalid(`${src.where}: field ${node.path}: the message id ${node.id} appears twice.`);
    byId.set(node.id, node);
  }
  const children = new Map<string, SourceNode[]>();
  const order: SourceNode[] = [];
  for (const node of src.nodes) {
    if (node.parentId === null) order.push(node);
    else if (!byId.has(node.parentId)) {
      throw invalid(`${src.where}: field ${node.path}.${src.parentField}: the parent ${node.parentId} of message ${node.id} is not in the conversation.`);
    } else {
      const list = children.get(node.parentId);
      if (list) list.push(node);
      else children.set(node.parentId, [node]);
    }
  }
  for (let i = 0; i < order.length; i++) for (const child of children.get(order[i]!.id) ?? []) order.push(child);
  if (order.length < src.nodes.length) {
    // Nodes no root reaches: their parent links go round in a circle (or hang below one that does).
    const reached = new Set(order);
    const stuck = src.nodes.find((n) => !reached.has(n))!;
    throw invalid(`${src.where}: field ${stuck.path}.${src.parentField}: the parents of message ${stuck.id} form a cycle, so it has no first message.`);
  }
  return { order, children };
}

/**
 * The fold nodes that are kept as assistant messages of their own: those with no assistant answer below them to
 * join, or with a question or other non-answer below them (whose branch would otherwise lose them). Children first.
 */
function foldsKeptAlone(order: SourceNode[], children: Map<string, SourceNode[]>): Set<SourceNode> {
  const state = new Map<SourceNode, State>();
  const promoted = new Set<SourceNode>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    let any = false;
    let blocks = false;
    for (const child of children.get(node.id) ?? []) {
      const s = state.get(child)!;
      if (s !== 'empty') any = true;
      if (s === 'blocks') blocks = true;
    }
    if (node.treatment === 'keep') state.set(node, node.role === 'assistant' ? 'absorbs' : 'blocks');
    else if (node.treatment === 'skip') state.set(node, !any ? 'empty' : blocks ? 'blocks' : 'absorbs');
    else {
      if (!any || blocks) promoted.add(node);
      state.set(node, 'absorbs');
    }
  }
  return promoted;
}

function activeLeaf(src: SourceConversation, keptAt: Map<string, string | null>, messages: ExportedMessage[]): string | null {
  if (src.activeId !== null) {
    if (!keptAt.has(src.activeId)) throw invalid(`${src.where}: field ${src.activeField}: the message ${src.activeId} is not in the conversation.`);
    const kept = keptAt.get(src.activeId)!;
    if (kept !== null) return kept;
  }
  // The newest leaf (the last one in the file among equals): what the source app would most likely show.
  const parents = new Set(messages.map((m) => m.parentId));
  let best: ExportedMessage | null = null;
  for (const m of messages) if (!parents.has(m.id) && (best === null || m.createdAt >= best.createdAt)) best = m;
  return best?.id ?? null;
}

function buildMessage(input: { key: string; node: SourceNode; role: MessageRole; parentId: string | null; depth: number; time: number; parts: SourcePart[] }): {
  message: ExportedMessage;
  attachments: ExportedAttachment[];
} {
  const { key, node, time } = input;
  const id = deterministicId(time, key);
  const sync = { createdAt: time, updatedAt: importStamp(time), deletedAt: null };
  const reasoning: string[] = [];
  const texts: string[] = [];
  const calls: ExportedToolCall[] = [];
  const attachments: ExportedAttachment[] = [];
  for (const part of input.parts) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'reasoning') reasoning.push(part.text);
    else if (part.type === 'tool-call') {
      calls.push({
        id: deterministicId(time, `${key}:call:${calls.length}`),
        stepId: null,
        ordinal: calls.length,
        server: null,
        tool: part.tool,
        providerCallId: part.callId,
        input: part.input,
        output: null,
        status: 'success',
        error: null,
        evaluation: null,
        spanId: null,
        startedAt: time,
        finishedAt: time,
        ...sync,
      });
    } else if (part.type === 'tool-result') {
      const call =
        (part.callId !== null ? calls.find((c) => c.providerCallId === part.callId && c.output === null) : undefined) ??
        calls.findLast((c) => c.output === null);
      if (call) {
        call.output = part.output;
        call.status = part.isError ? 'error' : 'success';
        call.error = part.isError ? resultText(part.output) : null;
      } else texts.push(`Tool result:\n${resultText(part.output)}`);
    } else {
      const bytes = Buffer.from(part.text, 'utf8');
      attachments.push({
        id: deterministicId(time, `${key}:attachment:${attachments.length}`),
        messageId: id,
        hash: createHash('sha256').update(bytes).digest('hex'),
        name: part.name,
        mimeType: part.mimeType,
        size: part.size ?? bytes.length,
        extractedText: part.text,
        ...sync,
      });
    }
  }
  const text = texts.filter((t) => t !== '').join('\n\n');
  const content: ContentPart[] = [
    ...reasoning.map((r) => ({ type: 'reasoning' as const, text: r })),
    ...calls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id })),
    { type: 'text', text },
    ...attachments.map((a) => ({ type: 'attachment' as const, attachmentId: a.id })),
  ];
  const message: ExportedMessage = {
    id,
    parentId: input.parentId,
    depth: input.depth,
    role: input.role,
    content,
    text,
    reasoning: reasoning.length > 0 ? reasoning.join('\n\n') : null,
    // Other apps' exports say nothing of merges.
    origin: null,
    provider: input.role === 'assistant' ? node.provider : null,
    model: input.role === 'assistant' ? node.model : null,
    status: 'complete',
    usage: { inputTokens: null, outputTokens: null, cachedInputTokens: null, cacheWriteTokens: null, reasoningTokens: null, source: null },
    estimatedInputTokens: null,
    costUsd: null,
    providerResponseId: null,
    timing: { startedAt: null, firstTokenAt: null, finishedAt: null },
    route: [],
    error: null,
    feedback: null,
    traceId: null,
    pinnedAt: null,
    steps: [],
    toolCalls: calls,
    ...sync,
  };
  return { message, attachments };
}

function resultText(output: unknown): string {
  return typeof output === 'string' ? output : (JSON.stringify(output, null, 2) ?? '');
}
