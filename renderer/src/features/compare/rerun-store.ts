import { create } from 'zustand';
import type { Message, RunEvent } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from '../chat/chat-store.js';
import { useModels } from '../models/models-store.js';

export interface ModelChoice {
  provider: string;
  model: string;
}

/** Where one model's answer is: streaming, waiting for the user (a tool to approve, a question), or ended. */
export type RerunStatus = 'streaming' | 'needs-you' | Exclude<Message['status'], 'streaming'>;

export interface RerunRun extends ModelChoice {
  runId: string;
  messageId: string;
  status: RerunStatus;
  error: string | null;
}

export const MIN_MODELS = 2;
export const MAX_MODELS = 4;

interface RerunState {
  /** The answer re-run; null while the panel is closed. */
  sessionId: string | null;
  messageId: string | null;
  picks: ModelChoice[];
  /** The answers started, in the order picked; empty until "Re-run" is pressed. */
  runs: RerunRun[];
  starting: boolean;
  error: string | null;
  openFor(message: Message): void;
  close(): void;
  setPick(index: number, choice: ModelChoice): void;
  addPick(): void;
  removePick(index: number): void;
  start(): Promise<void>;
}

let opener: HTMLElement | null = null;
const unsubscribes: (() => void)[] = [];
const stopFollowing = () => unsubscribes.splice(0).forEach((stop) => stop());
const key = (m: ModelChoice) => `${m.provider}/${m.model}`;

/** A model not picked yet, from the configured providers' list (the answer's own model first). */
function nextModel(picks: readonly ModelChoice[]): ModelChoice {
  const taken = new Set(picks.map(key));
  const found = useModels.getState().models.find((m) => !taken.has(`${m.provider}/${m.id}`));
  return found ? { provider: found.provider, model: found.id } : (picks.at(-1) ?? { provider: 'openai', model: 'gpt-4.1-mini' });
}

/** "Re-run with models…": one question answered again by 2 to 4 models at once, each a sibling answer. */
export const useRerun = create<RerunState>((set, get) => ({
  sessionId: null,
  messageId: null,
  picks: [],
  runs: [],
  starting: false,
  error: null,
  openFor(message) {
    stopFollowing();
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = { provider: message.provider ?? 'openai', model: message.model ?? 'gpt-4.1-mini' };
    if (!useModels.getState().loaded) void useModels.getState().load();
    set({ sessionId: message.sessionId, messageId: message.id, picks: [first, nextModel([first])], runs: [], starting: false, error: null });
  },
  close() {
    // The answers go on streaming; the panel only stops showing their progress.
    stopFollowing();
    set({ sessionId: null, messageId: null, picks: [], runs: [], starting: false, error: null });
    const back = opener;
    opener = null;
    if (back?.isConnected) back.focus();
    else document.querySelector<HTMLElement>('[data-testid="composer-input"]')?.focus();
  },
  setPick(index, choice) {
    set({ picks: get().picks.map((p, i) => (i === index ? choice : p)), error: null });
  },
  addPick() {
    const { picks } = get();
    if (picks.length < MAX_MODELS) set({ picks: [...picks, nextModel(picks)] });
  },
  removePick(index) {
    const { picks } = get();
    if (picks.length > MIN_MODELS) set({ picks: picks.filter((_, i) => i !== index), error: null });
  },
  async start() {
    const { messageId, sessionId, picks } = get();
    if (!messageId || !sessionId || get().starting) return;
    if (new Set(picks.map(key)).size !== picks.length) {
      set({ error: 'Each model can be picked once: change the repeated one.' });
      return;
    }
    set({ starting: true, error: null });
    try {
      const { runs } = await api.call('chat.retryMany', { messageId, models: picks });
      set({ starting: false, runs: runs.map((r) => ({ ...r, status: 'streaming' as const, error: null })) });
      // The chat shows the last one (the tip moved to it); the others are its siblings, ‹ n/n › away.
      await useChat.getState().reload();
      for (const run of runs) unsubscribes.push(api.onRun(run.runId, 0, (event) => onEvent(run.runId, event)));
    } catch (error) {
      set({ starting: false, error: (error as Error).message });
    }
  },
}));

function onEvent(runId: string, event: RunEvent): void {
  const update = (change: Partial<RerunRun>) => useRerun.setState((s) => ({ runs: s.runs.map((r) => (r.runId === runId ? { ...r, ...change } : r)) }));
  switch (event.type) {
    case 'approval-request':
    case 'elicitation-request':
      update({ status: 'needs-you' });
      break;
    case 'tool-result':
    case 'elicitation-answered':
    case 'text-delta':
      if (useRerun.getState().runs.find((r) => r.runId === runId)?.status === 'needs-you') update({ status: 'streaming' });
      break;
    case 'done':
      update({ status: event.message.status === 'streaming' ? 'complete' : event.message.status });
      break;
    case 'error':
      update({ status: 'error', error: event.error.message });
      break;
    default:
      break;
  }
}

/** The panel belongs to one chat: leaving it closes the panel (the answers go on). */
useChat.subscribe((state, previous) => {
  if (state.sessionId === previous.sessionId || useRerun.getState().messageId === null) return;
  stopFollowing();
  opener = null;
  useRerun.setState({ sessionId: null, messageId: null, picks: [], runs: [], starting: false, error: null });
});
