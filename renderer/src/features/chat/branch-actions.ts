import type { Message } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { messageText, useChat } from './chat-store.js';

/*
 * What the message actions do to the conversation tree: nothing is overwritten. Editing a message sends the new text
 * as a sibling; the arrows show another saved attempt; delete tombstones a message and what follows it, with undo.
 */

const fail = (error: unknown) => useChat.setState({ error: (error as Error).message });

/** Sends `text` in place of a user message, as a new branch beside it; the original and its answers are kept. */
export async function editAndResend(message: Message, text: string): Promise<boolean> {
  const { sessionId, messages, siblings, total } = useChat.getState();
  if (!sessionId) return false;
  try {
    const started = await api.call('chat.send', { sessionId, text, parentId: message.parentId });
    const at = messages.findIndex((m) => m.id === message.id);
    const kept = at >= 0 ? messages.slice(0, at) : messages;
    const group = [...(siblings[message.id] ?? [message.id]), started.userMessage.id];
    useChat.setState({
      messages: [...kept, started.userMessage, started.assistantMessage],
      total: total - messages.length + kept.length + 2,
      siblings: { ...siblings, ...Object.fromEntries(group.map((id) => [id, group])) },
    });
    useChat.getState().track(started.assistantMessage.id, started.runId);
    return true;
  } catch (error) {
    fail(error);
    return false;
  }
}

/** Shows another saved attempt of a message (its sibling): the chat follows that branch to its latest message. */
export async function showSibling(siblingId: string): Promise<void> {
  const { sessionId } = useChat.getState();
  if (!sessionId) return;
  try {
    await api.call('sessions.switchBranch', { sessionId, messageId: siblingId });
    await useChat.getState().reload();
  } catch (error) {
    fail(error);
  }
}

const EXCERPT = 60;

/**
 * "Branch from here": core makes this answer the chat's tip (what followed it stays on its branch) and the composer
 * says the next message starts a new branch. `cancelBranching` goes back to where the chat was.
 */
export async function branchFromHere(message: Message): Promise<void> {
  const { sessionId, messages, siblings } = useChat.getState();
  const at = messages.findIndex((m) => m.id === message.id);
  const next = messages[at + 1];
  const previousLeafId = messages.at(-1)?.id;
  if (!sessionId || at < 0 || !next || !previousLeafId) return;
  try {
    await api.call('sessions.branchFrom', { sessionId, messageId: message.id });
    await useChat.getState().reload();
    const text = messageText(message).replace(/\s+/g, ' ').trim();
    const excerpt = text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text || 'this answer';
    useChat.setState({ branching: { fromId: message.id, excerpt, previousLeafId, continuation: siblings[next.id] ?? [next.id] } });
  } catch (error) {
    fail(error);
  }
}

/** Leaves "Branch from here": the chat shows the branch it showed before. */
export async function cancelBranching(): Promise<void> {
  const { sessionId, branching } = useChat.getState();
  if (!sessionId || !branching) return;
  try {
    await api.call('sessions.switchBranch', { sessionId, messageId: branching.previousLeafId });
    await useChat.getState().reload();
  } catch (error) {
    fail(error);
  }
}

/** Deletes a message and what follows it on its branches; `undoDelete` brings them back. */
export async function deleteMessage(messageId: string): Promise<void> {
  const { sessionId } = useChat.getState();
  if (!sessionId) return;
  try {
    const result = await api.call('messages.delete', { sessionId, messageId });
    useChat.setState({ deleted: { messageId, deletedAt: result.deletedAt, count: result.count } });
    await useChat.getState().reload();
  } catch (error) {
    fail(error);
  }
}

export async function undoDelete(): Promise<void> {
  const { sessionId, deleted } = useChat.getState();
  if (!sessionId || !deleted) return;
  useChat.setState({ deleted: null });
  try {
    await api.call('messages.restore', { sessionId, messageId: deleted.messageId, deletedAt: deleted.deletedAt });
    await useChat.getState().reload();
  } catch (error) {
    fail(error);
  }
}

const OLDER_PAGE = 200;
let loadingOlder = false;

/** Loads the messages before the first one on screen (scrolling up a long chat), keeping those already shown. */
export async function loadOlder(): Promise<void> {
  const { sessionId, messages, total } = useChat.getState();
  const first = messages[0];
  if (!sessionId || !first?.parentId || messages.length >= total || loadingOlder) return;
  loadingOlder = true;
  try {
    const older = await api.call('messages.path', { sessionId, leafId: first.parentId, limit: OLDER_PAGE });
    const state = useChat.getState();
    if (state.sessionId !== sessionId || state.messages[0]?.id !== first.id) return;
    useChat.setState({ messages: [...older.messages, ...state.messages], siblings: { ...older.siblings, ...state.siblings } });
    state.loadDetails(older.messages.filter((m) => m.role === 'assistant').map((m) => m.id));
  } catch (error) {
    fail(error);
  } finally {
    loadingOlder = false;
  }
}
