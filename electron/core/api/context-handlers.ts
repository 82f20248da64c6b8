import { previewContext, type PreviewDeps } from '../context/preview.js';
import type { Handlers } from './router.js';

/** Pinning messages, and the breakdown of a chat's next request. */
export function createContextHandlers(deps: PreviewDeps): Pick<Handlers, 'messages.pin' | 'context.show'> {
  return {
    'messages.pin': ({ messageId, pinned }) => deps.pins.setPinned(messageId, pinned),
    'context.show': ({ sessionId }) => previewContext(deps, sessionId),
  };
}
