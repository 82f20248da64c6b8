import { useEffect } from 'react';
import { useChat, type ToolCallView } from '../chat/chat-store.js';
import { LazyWaterfall } from '../trace/TimingToggle.js';
import { StepsPanel } from './StepsPanel.js';
import { usePanel, useStepsPanels } from './steps-open-store.js';
import { useWideWindow } from './wide-window.js';

/**
 * An answer's Steps panel under the answer, while it is open there. One put beside the conversation is drawn by
 * StepsBeside instead (a narrow window shows it under the answer either way).
 */
export function AnswerSteps({ messageId, calls, streaming }: { messageId: string; calls: ToolCallView[] | undefined; streaming: boolean }) {
  const panel = usePanel(messageId);
  const steps = useChat((s) => s.steps[messageId]);
  const traced = useTraced(messageId);
  const wide = useWideWindow();
  if (!panel.open || (panel.side && wide)) return null;
  return <StepsPanel messageId={messageId} steps={steps ?? []} calls={calls ?? []} streaming={streaming} timing={timingOf(messageId, traced, streaming)} />;
}

/**
 * The Steps panel beside the conversation (wide windows): drawn by the chat rather than by its answer, so it stays
 * while the answer scrolls out of view. The conversation makes room for it.
 */
export function StepsBeside() {
  const wide = useWideWindow();
  const messageId = useStepsPanels((s) => Object.entries(s.panels).find(([, p]) => p.open && p.side)?.[0]);
  const shown = useChat((s) => (messageId && s.messages.some((m) => m.id === messageId) ? messageId : null));
  const steps = useChat((s) => (shown ? s.steps[shown] : undefined));
  const calls = useChat((s) => (shown ? s.toolCalls[shown] : undefined));
  const streaming = useChat((s) => (shown ? shown in s.live : false));
  const traced = useTraced(shown);
  const visible = wide && shown !== null;
  useEffect(() => {
    document.body.classList.toggle('steps-beside', visible);
    return () => document.body.classList.remove('steps-beside');
  }, [visible]);
  if (!visible) return null;
  return <StepsPanel messageId={shown} steps={steps ?? []} calls={calls ?? []} streaming={streaming} timing={timingOf(shown, traced, streaming)} />;
}

/** Whether the answer has spans (answers made before tracing have none). */
const useTraced = (messageId: string | null) => useChat((s) => messageId !== null && s.messages.some((m) => m.id === messageId && m.traceId !== null));

/** The panel's Timing section: the waterfall once the answer is done (its spans are written after it ends). */
const timingOf = (messageId: string, traced: boolean, streaming: boolean) => (traced && !streaming ? <LazyWaterfall messageId={messageId} /> : undefined);

/** Tool calls the compact list under an answer still shows while its Steps panel is open: those waiting for the user. */
export function callsNeedingYou(calls: ToolCallView[] | undefined): ToolCallView[] | undefined {
  return calls?.filter((c) => c.approval || (c.status === 'running' && (c.elicitations ?? []).some((e) => !e.answer)));
}
