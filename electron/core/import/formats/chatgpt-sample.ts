import { createHash } from 'node:crypto';

/*
 * Realistic ChatGPT conversations (the shape of conversations.json) for tests and the import benchmark: a hidden
 * system node under the empty root, questions and answers, a regenerated answer (a sibling branch) every few turns,
 * now and then a code-interpreter call with its output, and reasoning. Deterministic: conversation i is always the same.
 */

export interface ChatGptSampleOptions {
  /** Messages on the main path (questions and answers), about; default 20. */
  messages?: number;
  /** A regenerated answer beside every n-th answer; 0: none. Default 5. */
  branchEvery?: number;
  /** Characters of each answer, about; default 600. */
  answerLength?: number;
  /** Seconds since the epoch of the first message; default 1 700 000 000 + i hours. */
  startTime?: number;
}

interface SampleNode {
  id: string;
  message: Record<string, unknown> | null;
  parent: string | null;
  children: string[];
}

const WORDS = 'the a model answer file query branch tree import export chat token stream index cache store path value list node test'.split(' ');

function uuidOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function prose(seed: number, length: number): string {
  const out: string[] = [];
  let n = seed;
  let size = 0;
  while (size < length) {
    n = (n * 1103515245 + 12345) % 2147483648;
    const word = WORDS[n % WORDS.length]!;
    out.push(word);
    size += word.length + 1;
  }
  return `${out.join(' ')}.`;
}

/** One conversation of a ChatGPT export, as its JSON value. */
export function makeChatGptConversation(i: number, options: ChatGptSampleOptions = {}): Record<string, unknown> {
  const total = options.messages ?? 20;
  const branchEvery = options.branchEvery ?? 5;
  const answerLength = options.answerLength ?? 600;
  let time = options.startTime ?? 1_700_000_000 + i * 3600;
  const conversationId = uuidOf(`conversation-${i}`);
  const mapping: Record<string, SampleNode> = {};
  let count = 0;
  const add = (parent: string | null, message: Record<string, unknown> | null): string => {
    const id = parent === null ? 'client-created-root' : uuidOf(`${conversationId}-${count++}`);
    mapping[id] = { id, message: message && { id, ...message }, parent, children: [] };
    if (parent !== null) mapping[parent]!.children.push(id);
    return id;
  };
  const msg = (role: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    time += 7.25;
    return {
      author: { role, name: role === 'tool' ? 'python' : null, metadata: {} },
      create_time: time,
      update_time: null,
      content,
      status: 'finished_successfully',
      end_turn: role === 'assistant' ? true : null,
      weight: 1,
      recipient: 'all',
      channel: null,
      ...extra,
      metadata: { ...(role === 'assistant' ? { model_slug: 'gpt-4o', finish_details: { type: 'stop' } } : {}), ...(extra.metadata as object) },
    };
  };
  const root = add(null, null);
  let tip = add(root, msg('system', { content_type: 'text', parts: [''] }, { metadata: { is_visually_hidden_from_conversation: true } }));
  for (let turn = 0; count < total; turn++) {
    tip = add(tip, msg('user', { content_type: 'text', parts: [`Question ${turn}: ${prose(i * 1000 + turn, 80)}`] }));
    let answerParent = tip;
    if (turn % 7 === 3) {
      // The code interpreter: the call, its output, then the answer that uses it.
      const call = add(tip, msg('assistant', { content_type: 'code', language: 'python', text: `print(${turn} * 6)` }, { recipient: 'python' }));
      answerParent = add(call, msg('tool', { content_type: 'execution_output', text: String(turn * 6) }));
    }
    if (branchEvery > 0 && turn % branchEvery === branchEvery - 1) {
      // A regenerated answer: a sibling the user did not keep.
      add(answerParent, msg('assistant', { content_type: 'text', parts: [`Earlier try. ${prose(i * 7 + turn, answerLength)}`] }));
    }
    tip = add(answerParent, msg('assistant', { content_type: 'text', parts: [`Answer ${turn}. ${prose(i * 13 + turn, answerLength)}`] }));
  }
  return {
    title: `Sample conversation ${i}`,
    create_time: (options.startTime ?? 1_700_000_000 + i * 3600) + 0.5,
    update_time: time,
    mapping,
    moderation_results: [],
    current_node: tip,
    plugin_ids: null,
    conversation_id: conversationId,
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: 'gpt-4o',
    id: conversationId,
  };
}
