import type { FeedbackChange, Message } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from './chat-store.js';

/** Saves (part of) the user's feedback on an answer and shows it at once; resolves with core's refusal, if any. */
export async function saveFeedback(message: Message, change: FeedbackChange): Promise<string | null> {
  try {
    const updated = await api.call('messages.setFeedback', { messageId: message.id, feedback: change });
    useChat.setState((state) => ({ messages: state.messages.map((m) => (m.id === updated.id ? updated : m)) }));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
