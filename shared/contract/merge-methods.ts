import { z } from 'zod';
import { Id, Session } from './domain.js';

/** What `messages.merge` writes: copies of the selected messages, or one summary of them. */
export const MergeMode = z.enum(['messages', 'summary']);
export type MergeMode = z.infer<typeof MergeMode>;

export const MergeInput = z
  .object({
    /** The chat the messages go into (the source chat itself to merge one branch into another). */
    targetSessionId: Id,
    /** The message they follow, in the target chat; absent: the target's active leaf. */
    targetParentId: Id.optional(),
    sourceSessionId: Id,
    /** The selected messages: live, all on one path of the source chat (written in path order). */
    messageIds: z.array(Id).min(1, 'Select at least one message to merge.').max(1000),
    mode: MergeMode,
  })
  .strict();
export type MergeInput = z.infer<typeof MergeInput>;

export const mergeMethods = {
  /**
   * Brings messages of a branch (of this chat or another) into a branch: as copies (new ids, each with its origin),
   * or as one summary the summarizer model writes (its cost counted like a summary's). Appended under the target
   * parent, and the target's active leaf becomes the last one written; nothing is written when anything fails.
   * Undone with `messages.delete` on the first merged message.
   */
  'messages.merge': { input: MergeInput, output: Session },
} as const;
