import { z } from 'zod';
import { Id, Timestamp } from './primitives.js';

/**
 * Where a merged message came from (messages.merge): a copy of one message of another branch or chat, or a summary
 * the summarizer wrote of several. Recorded once, when the message is written, and never changed: the title is the
 * source chat's at merge time, and the ids stay as recorded even after the source is deleted or renamed.
 */
export const MessageOrigin = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('copied'),
      sessionId: Id.describe('The chat the message was copied from.'),
      messageId: Id.describe('The message it is a copy of.'),
      chatTitle: z.string().describe("The source chat's title when it was merged."),
      mergedAt: Timestamp,
    })
    .strict(),
  z
    .object({
      kind: z.literal('summary'),
      sessionId: Id.describe('The chat the summarized messages are in.'),
      messageIds: z.array(Id).min(1).describe('The messages the summary covers, in path order.'),
      chatTitle: z.string().describe("The source chat's title when it was merged."),
      mergedAt: Timestamp,
    })
    .strict(),
]);
export type MessageOrigin = z.infer<typeof MessageOrigin>;

/** How a merged message names its origin, in the app and in exports: "Merged from “Trip”", "Summary of 4 messages from “Trip”". */
export function originLabel(origin: MessageOrigin): string {
  const chat = `“${origin.chatTitle}”`;
  if (origin.kind === 'copied') return `Merged from ${chat}`;
  const n = origin.messageIds.length;
  return `Summary of ${n} message${n === 1 ? '' : 's'} from ${chat}`;
}
