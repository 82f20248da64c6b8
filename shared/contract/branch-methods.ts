import { z } from 'zod';
import { Id, ProviderId, Session } from './domain.js';

/** Branches of a conversation: switching to another saved attempt, deleting a message (and what follows it) with undo. */
export const branchMethods = {
  /** Shows the branch through `messageId` (a sibling of a message on screen): the latest leaf under it becomes active. */
  'sessions.switchBranch': { input: z.object({ sessionId: Id, messageId: Id }).strict(), output: Session },
  /**
   * Makes an answer the chat's tip (its active leaf) so the next message sent follows it: a new branch beside what
   * followed it, which is kept. A question cannot be branched from (editing it makes the new branch there). Undone
   * with `sessions.switchBranch` to the previous leaf.
   */
  'sessions.branchFrom': { input: z.object({ sessionId: Id, messageId: Id }).strict(), output: Session },
  /**
   * Deletes a message and every message after it on its branches (a tombstone). The chat then shows the neighbouring
   * branch. `deletedAt` undoes it with `messages.restore`.
   */
  'messages.delete': {
    input: z.object({ sessionId: Id, messageId: Id }).strict(),
    output: z.object({ session: Session, deletedAt: z.number().int(), count: z.number().int().positive() }),
  },
  'messages.restore': { input: z.object({ sessionId: Id, messageId: Id, deletedAt: z.number().int() }).strict(), output: Session },
} as const;

/** For `chat.retry`: answer again with another model than the chat's (this answer only). */
export const RetryModel = z.object({ provider: ProviderId, model: z.string().min(1).max(200) }).strict();
