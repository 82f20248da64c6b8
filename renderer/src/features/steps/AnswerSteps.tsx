import { useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import { useChat, type ToolCallView } from '../chat/chat-store.js';
import { StepsPanel } from './StepsPanel.js';
import { usePanel } from './steps-open-store.js';

const WIDE = '(min-width: 1200px)';
const subscribeWide = (onChange: () => void) => {
  const query = window.matchMedia(WIDE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
const useWide = () => useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE).matches);

/**
 * An answer's Steps panel where the user put it: under the answer, or beside the conversation when the window is
 * wide enough (a narrow one shows it under the answer either way). Nothing while it is closed.
 */
export function AnswerSteps({ messageId, calls, streaming }: { messageId: string; calls: ToolCallView[] | undefined; streaming: boolean }) {
  const panel = usePanel(messageId);
  const steps = useChat((s) => s.steps[messageId]);
  const wide = useWide();
  if (!panel.open) return null;
  const view = <StepsPanel messageId={messageId} steps={steps ?? []} calls={calls ?? []} streaming={streaming} />;
  return panel.side && wide ? createPortal(view, document.body) : view;
}

/** Tool calls the compact list under an answer still shows while its Steps panel is open: those waiting for the user. */
export function callsNeedingYou(calls: ToolCallView[] | undefined): ToolCallView[] | undefined {
  return calls?.filter((c) => c.approval || (c.status === 'running' && (c.elicitations ?? []).some((e) => !e.answer)));
}
