import type { ChatTurn } from '../providers/types.js';
import type { PinnedTurn } from '../store/repositories/pins.js';
import type { ContextItem } from './builder.js';

/**
 * The most messages of a conversation's path read for a request: the context builder chooses among them (and the
 * pins, wherever they are on the path). Bounded so a very long chat is not read whole at every send.
 */
export const HISTORY_LIMIT = 200;

/** A path message as the store reads it (messages.historyTurns). */
export interface PathMessage {
  id: string;
  role: 'system' | 'user' | 'assistant' | 'tool';
  status: string;
  text: string;
}

/** Whether a path message is sent: answers that failed or said nothing are left out. */
export function isSent<T extends PathMessage>(message: T): message is T & { role: 'user' | 'assistant' } {
  if (message.role === 'assistant' && (message.status === 'error' || !message.text)) return false;
  return message.role === 'user' || message.role === 'assistant';
}

/** A pinned message as a context item (pins are questions and answers: text turns). */
export function pinnedItem(pin: PinnedTurn): ContextItem & { id: string } {
  const turn: ChatTurn = pin.role === 'assistant' ? { role: 'assistant', content: pin.text } : { role: 'user', content: pin.text };
  return { id: pin.id, turn };
}
