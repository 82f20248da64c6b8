import type { SearchHit } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from '../chat/chat-store.js';
import { loadOlder } from '../chat/branch-actions.js';
import { useSessions } from '../sessions/sessions-store.js';
import { useSearch } from './search-store.js';

/** Resolves once the chat store shows `sessionId`, loaded. */
function chatLoaded(sessionId: string): Promise<void> {
  const ready = () => {
    const s = useChat.getState();
    return s.sessionId === sessionId && !s.loading;
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useChat.subscribe(() => {
      if (!ready()) return;
      stop();
      resolve();
    });
  });
}

/**
 * Opens a hit's message where it is: its chat, on its branch (the chat follows that branch from then on), with
 * enough older messages loaded that it is in the list; MessageList then scrolls to it and highlights it.
 * `onActivePath`: the message is on the branch the chat shows (the context gauge's list), which stays as it is.
 */
export async function jumpTo(hit: Pick<SearchHit, 'sessionId' | 'messageId'>, options: { onActivePath?: boolean } = {}): Promise<void> {
  useSearch.setState({ paletteOpen: false });
  try {
    if (!options.onActivePath) await api.call('sessions.switchBranch', { sessionId: hit.sessionId, messageId: hit.messageId });
  } catch (error) {
    useChat.setState({ error: (error as Error).message });
    return;
  }
  const sessions = useSessions.getState();
  const alreadyOpen = sessions.activeId === hit.sessionId && useChat.getState().sessionId === hit.sessionId;
  sessions.select(hit.sessionId);
  // A branch switch changes what the open chat shows; a message on its own path is loaded (or older) already.
  if (alreadyOpen && !options.onActivePath) await useChat.getState().reload();
  await chatLoaded(hit.sessionId);
  // A message deep in a long chat is before the loaded page: load older pages until it is there.
  for (;;) {
    const { messages, total, sessionId } = useChat.getState();
    if (sessionId !== hit.sessionId || messages.some((m) => m.id === hit.messageId) || messages.length >= total) break;
    await loadOlder();
    if (useChat.getState().messages.length === messages.length) break;
  }
  useSearch.setState({ target: { messageId: hit.messageId, at: Date.now() } });
}
