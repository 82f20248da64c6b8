import type { FeedbackRepository } from '../store/repositories/feedback.js';
import type { Handlers } from './router.js';

/** The user's feedback on answers (thumbs and the detailed form), and finding an answer by the start of its id (the CLI). */
export function createFeedbackHandlers(feedback: FeedbackRepository): Pick<Handlers, 'messages.setFeedback' | 'messages.resolve'> {
  return {
    'messages.setFeedback': ({ messageId, feedback: change }) => feedback.set(messageId, change),
    'messages.resolve': ({ idPrefix }) => feedback.resolveAnswer(idPrefix),
  };
}
