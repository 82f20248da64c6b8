import { z } from 'zod';
import { ContextPreview } from './context.js';
import { Id, Message } from './domain.js';

/** What goes into a request: pinned messages, and the breakdown the next request of a chat would use. */
export const contextMethods = {
  /** Pins or unpins a message: a pinned one is sent with every later request of its branch. Returns the message. */
  'messages.pin': {
    input: z.object({ messageId: Id, pinned: z.boolean() }).strict(),
    output: Message,
  },
  /** How the next request of a chat (after its active message) would fill its model's window, message by message. */
  'context.show': {
    input: z.object({ sessionId: Id }).strict(),
    output: ContextPreview,
  },
} as const;
