import { create } from 'zustand';
import type { Summary } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

interface SummaryState {
  sessionId: string | null;
  /** The last message of the branch shown, whose path the summary must be on. */
  leafId: string | null;
  /** The summary in effect on the branch shown (null: none). */
  summary: Summary | null;
  /** A summary is being made (the button, /compact). */
  busy: boolean;
  error: string | null;
  /** Reads the summary of the branch ending at `leafId` (after a send, a branch switch). */
  show(sessionId: string, leafId: string | null): Promise<void>;
  /** Summarizes the chat's branch now; resolves whether it worked (the error is kept to show). */
  compact(sessionId: string): Promise<boolean>;
  save(summaryId: string, text: string): Promise<boolean>;
}

/** Bumped by every read and write, so an older read answering late never hides a newer summary. */
let generation = 0;

export const useSummary = create<SummaryState>((set, get) => ({
  sessionId: null,
  leafId: null,
  summary: null,
  busy: false,
  error: null,
  async show(sessionId, leafId) {
    if (get().sessionId !== sessionId) set({ sessionId, summary: null, error: null });
    set({ leafId });
    if (!leafId) return set({ summary: null });
    const asked = ++generation;
    try {
      const summary = await api.call('summaries.current', { sessionId, leafId });
      // Only the newest answer for the branch still shown counts.
      if (asked === generation && get().sessionId === sessionId && get().leafId === leafId) set({ summary });
    } catch {
      // Without its summary the chat still reads as it was written.
    }
  },
  async compact(sessionId) {
    set({ busy: true, error: null });
    try {
      const summary = await api.call('summaries.create', { sessionId });
      generation++;
      if (get().sessionId === sessionId) set({ summary });
      return true;
    } catch (e) {
      set({ error: `Could not summarize: ${(e as Error).message}` });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  async save(summaryId, text) {
    try {
      const summary = await api.call('summaries.update', { summaryId, text });
      generation++;
      if (get().summary?.id === summaryId) set({ summary, error: null });
      return true;
    } catch (e) {
      set({ error: `Could not save the summary: ${(e as Error).message}` });
      return false;
    }
  },
}));

// A summary made or edited elsewhere (automatically after an answer, another window, the CLI): the open chat reads
// its branch's summary again, which tells whether the new one is on it.
api.onApp((event) => {
  const { sessionId, leafId, show } = useSummary.getState();
  if (event.type === 'summary-changed' && event.summary.sessionId === sessionId && sessionId) void show(sessionId, leafId);
  // An automatic summary that failed says why; the chat goes on without it.
  if (event.type === 'summary-failed' && event.sessionId === sessionId) useSummary.setState({ error: event.message });
});
