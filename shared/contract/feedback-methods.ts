import { z } from 'zod';
import { Feedback, Id, Message } from './domain.js';

/**
 * The user's feedback on answers. A change names only what it changes (a thumb, the form's fields); what it leaves
 * out stays as it was, so a thumb never clears the form and the form never clears the thumb.
 */
export const FeedbackChange = z
  .object({
    rating: Feedback.shape.rating.optional(),
    categories: Feedback.shape.categories.refine((c) => new Set(c).size === c.length, 'Each category may be given once.').optional(),
    completeness: Feedback.shape.completeness.optional(),
    comment: z.string().trim().max(10_000).optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'Give a rating, categories, completeness or a comment.');
export type FeedbackChange = z.infer<typeof FeedbackChange>;

export const feedbackMethods = {
  /** Sets (part of) the feedback on an answer; returns the answer with it. Only finished answers take feedback. */
  'messages.setFeedback': {
    input: z.object({ messageId: Id, feedback: FeedbackChange }).strict(),
    output: Message,
  },
  /** The answer whose id starts with `idPrefix` (at least 4 characters), as sessions.resolve does for chats. */
  'messages.resolve': {
    input: z.object({ idPrefix: z.string().trim().min(1).max(100) }).strict(),
    output: Message,
  },
} as const;
