import { z } from 'zod';
import { Id, MessageRole } from './domain.js';

/**
 * One message of a chat's tree, compact: enough to draw the tree view and preview a node, never the whole text.
 * Deleted messages (tombstones) are included with `deleted: true` so the tree shows where a branch was removed.
 */
export const TreeNode = z.object({
  id: Id,
  parentId: Id.nullable(),
  role: MessageRole,
  /** The model that wrote an answer; null for the user's messages. */
  model: z.string().nullable(),
  /** The first characters of the message's text (plain text, at most 120 characters). */
  excerpt: z.string(),
  /** Input plus output tokens of an answer, as reported (or estimated); null when unknown. */
  tokens: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  createdAt: z.number().int(),
  deleted: z.boolean(),
});
export type TreeNode = z.infer<typeof TreeNode>;

/** The conversation tree of a chat, for the tree view. */
export const treeMethods = {
  /** Every message of the chat (oldest first) and the active leaf: the path from the root to it is the chat shown. */
  'sessions.tree': {
    input: z.object({ sessionId: Id }).strict(),
    output: z.object({ nodes: z.array(TreeNode), activeLeafId: Id.nullable() }),
  },
} as const;
