import { create } from 'zustand';
import type {
  AnswerRecall,
  CodaErrorShape,
  ContentPart,
  ElicitationAction,
  ElicitationContent,
  Message,
  RunEvent,
  Session,
  SessionSettings,
} from '../../../../shared/index.js';
import { ApiError, api } from '../../api/client.js';
import { applyToolCallEvent, toolCallViewsByMessage, type ToolCallView } from './tool-call-views.js';
import { recallsByMessage } from './recalled.js';
import { applyDeltas, applyStepEvent, stepViewsByMessage, withUnsavedTail, type StepView } from '../steps/step-views.js';

export type { ElicitationView, ToolCallView } from './tool-call-views.js';

/** What answering a question gave: done, or refused with a message and each field's problem. */
export type UnavailableTools = Extract<RunEvent, { type: 'tools-unavailable' }>['servers'];

export type ElicitResult = { ok: true } | { ok: false; message: string; fields: Record<string, string> };

/**
 * The chat was moved back to an earlier answer to branch from it: what it followed before (to cancel), and what
 * followed that answer (the new message becomes their sibling).
 */
export interface Branching {
  fromId: string;
  excerpt: string;
  previousLeafId: string;
  continuation: string[];
}

interface LiveRun {
  runId: string;
  unsubscribe: () => void;
}

interface ChatState {
  sessionId: string | null;
  messages: Message[];
  total: number;
  loading: boolean;
  sending: boolean;
  error: string | null;
  /** Why the last message was not sent when a spending limit set to block refused it (it may be sent anyway). */
  blockedBySpending: string | null;
  /** Answers streaming now, by message id. */
  live: Record<string, string>;
  /** What is happening to an answer in flight (a retry, a fallback), by message id. */
  notices: Record<string, string>;
  /** Per answer: enabled tool servers the model could not use for it (failed, or waiting for a sign-in). */
  unavailableTools: Record<string, UnavailableTools>;
  /** Tool calls of each answer, by message id. */
  toolCalls: Record<string, ToolCallView[]>;
  /** Agent steps of each answer (the Steps panel), by message id: live while it streams, then as saved. */
  steps: Record<string, StepView[]>;
  /** What recall offered each answer (its first step's list), by message id, once saved. */
  recalls: Record<string, AnswerRecall>;
  /** Names of the files and resources attached to each message. */
  attachments: Record<string, string[]>;
  /** For messages on screen with saved alternatives (regenerated, edited): all of them, oldest first. */
  siblings: Record<string, string[]>;
  /** Messages just deleted, offered for undo (branch-actions.ts). */
  deleted: { messageId: string; deletedAt: number; count: number } | null;
  /** "Branch from here" in progress (branch-actions.ts): the next message sent starts a new branch after an answer. */
  branching: Branching | null;
  open(sessionId: string | null): Promise<void>;
  /** Reads the visible conversation again from core (after a branch switch or a delete). */
  reload(): Promise<void>;
  /** Follows a run that streams into `messageId` (an answer started outside `send`). */
  track(messageId: string, runId: string): void;
  /** Loads the tool calls of answers added outside a reload (older messages scrolled into view). */
  loadDetails(messageIds: string[]): void;
  /** `overBudget`: the user chose to send this one past a blocking spending limit. */
  send(text: string, resources?: { server: string; uri: string }[], overBudget?: true): Promise<boolean>;
  /**
   * The first message of a new chat: creates the chat with `settings`, opens it and sends. A chat whose first
   * message could not be sent is discarded again, so a failure leaves nothing behind. Resolves with the chat.
   */
  sendFirst(settings: SessionSettings, text: string, resources?: { server: string; uri: string }[], overBudget?: true): Promise<Session | null>;
  stop(): Promise<void>;
  /** Answers the message above `messageId` again, as a new branch (optionally with another model, this once). */
  retry(messageId: string, model?: { provider: string; model: string }): Promise<void>;
  /** `alwaysToolId`: also let that tool run without asking from now on. */
  approve(runId: string, toolCallId: string, allow: boolean, alwaysToolId?: string): Promise<void>;
  elicit(runId: string, elicitationId: string, action: ElicitationAction, content?: ElicitationContent): Promise<ElicitResult>;
}

const PATH_LIMIT = 500;
const runs = new Map<string, LiveRun>();
/** Deltas are applied once per frame, not once per token, so fast streams do not re-render hundreds of times a second. */
const pendingDeltas = new Map<string, { text: string; reasoning: string }>();
let frameRequested = false;

export const useChat = create<ChatState>((set, get) => {
  const replaceMessage = (message: Message) =>
    set((state) => ({
      messages: state.messages.some((m) => m.id === message.id) ? state.messages.map((m) => (m.id === message.id ? message : m)) : [...state.messages, message],
    }));

  const flushDeltas = () => {
    frameRequested = false;
    if (pendingDeltas.size === 0) return;
    const deltas = new Map(pendingDeltas);
    pendingDeltas.clear();
    set((state) => {
      const steps = { ...state.steps };
      for (const [messageId, delta] of deltas) steps[messageId] = applyDeltas(steps[messageId] ?? [], delta);
      return {
        messages: state.messages.map((m) => {
          const delta = deltas.get(m.id);
          return delta ? { ...m, content: appendContent(m.content, delta.text, delta.reasoning) } : m;
        }),
        steps,
      };
    });
  };

  const queueDelta = (messageId: string, kind: 'text' | 'reasoning', text: string) => {
    const entry = pendingDeltas.get(messageId) ?? { text: '', reasoning: '' };
    entry[kind] += text;
    pendingDeltas.set(messageId, entry);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flushDeltas);
    }
  };

  const setCalls = (messageId: string, change: (calls: ToolCallView[]) => ToolCallView[]) =>
    set((state) => ({ toolCalls: { ...state.toolCalls, [messageId]: change(state.toolCalls[messageId] ?? []) } }));

  /** Reads saved tool calls (with timings and evaluation) for answers, replacing what the events showed. */
  const loadTrace = async (sessionId: string, messageIds: string[]) => {
    if (messageIds.length === 0) return;
    const trace = await api.call('messages.agentTrace', { messageIds }).catch(() => null);
    if (!trace || get().sessionId !== sessionId) return;
    const byMessage = toolCallViewsByMessage(trace.toolCalls);
    const saved = stepViewsByMessage(trace.steps, trace.toolCalls);
    set((state) => ({
      toolCalls: { ...state.toolCalls, ...byMessage },
      steps: { ...state.steps, ...Object.fromEntries(messageIds.map((id) => [id, withUnsavedTail(saved[id] ?? [], state.steps[id])])) },
      recalls: { ...state.recalls, ...recallsByMessage(trace.steps) },
    }));
  };

  const setNotice = (messageId: string, text: string | null) =>
    set((state) => {
      const notices = { ...state.notices };
      if (text === null) delete notices[messageId];
      else notices[messageId] = text;
      return { notices };
    });

  const endRun = (messageId: string) => {
    runs.get(messageId)?.unsubscribe();
    runs.delete(messageId);
    setNotice(messageId, null);
    set((state) => {
      const live = { ...state.live };
      delete live[messageId];
      return { live };
    });
  };

  const follow = (sessionId: string, messageId: string, runId: string) => {
    runs.get(messageId)?.unsubscribe();
    const onEvent = (event: RunEvent) => {
      if (get().sessionId !== sessionId) return;
      switch (event.type) {
        case 'text-delta':
          queueDelta(messageId, 'text', event.text);
          if (get().notices[messageId]) setNotice(messageId, null);
          break;
        case 'reasoning-delta':
          queueDelta(messageId, 'reasoning', event.text);
          break;
        case 'tool-call':
        case 'tool-result':
          // The text written before a call belongs to the step that chose it: apply what waits for the next frame first.
          flushDeltas();
          set((state) => ({ steps: { ...state.steps, [messageId]: applyStepEvent(state.steps[messageId] ?? [], event) } }));
          setCalls(messageId, (calls) => applyToolCallEvent(calls, event));
          break;
        case 'approval-request':
        case 'elicitation-request':
        case 'elicitation-answered':
          setCalls(messageId, (calls) => applyToolCallEvent(calls, event));
          break;
        case 'tools-unavailable':
          set((state) => ({ unavailableTools: { ...state.unavailableTools, [messageId]: event.servers } }));
          break;
        case 'context-warning':
          setNotice(messageId, event.message);
          break;
        case 'retry':
          setNotice(messageId, `${event.error.message} Retrying in ${Math.max(1, Math.round(event.delayMs / 1000))} s…`);
          break;
        case 'fallback':
          setNotice(messageId, `${event.from.provider} failed (${event.error.message}); trying ${event.to.provider} · ${event.to.model}…`);
          break;
        case 'done':
        case 'error':
          pendingDeltas.delete(messageId);
          replaceMessage(event.message);
          endRun(messageId);
          // The saved steps and calls carry what the events do not (timings, evaluation).
          void loadTrace(sessionId, [messageId]);
          break;
        default:
          break;
      }
    };
    const onError = (_error: CodaErrorShape) => {
      // The run is gone (core restarted): what was saved is the truth, so read it back.
      endRun(messageId);
      void reloadPath(sessionId);
    };
    // The run is followed from its first event, so its steps are built again from nothing.
    set((state) => ({ steps: { ...state.steps, [messageId]: [] } }));
    runs.set(messageId, { runId, unsubscribe: api.onRun(runId, 0, onEvent, onError) });
    set((state) => ({ live: { ...state.live, [messageId]: runId } }));
  };

  const reloadPath = async (sessionId: string) => {
    const [path, active] = await Promise.all([api.call('messages.path', { sessionId, limit: PATH_LIMIT }), api.call('chat.activeRuns', { sessionId })]);
    if (get().sessionId !== sessionId) return;
    // Only runs answering on the branch shown are followed: a sibling streaming beside it (a re-run with several
    // models) would otherwise be added to this conversation when it ends.
    const onPath = new Set(path.messages.map((m) => m.id));
    const shownRuns = active.runs.filter((r) => onPath.has(r.messageId));
    const streaming = new Set(shownRuns.map((r) => r.messageId));
    // A run still streaming is replayed from its first event, so its text starts empty here.
    const messages = path.messages.map((m) => (streaming.has(m.id) ? { ...m, content: [] } : m));
    set({ messages, total: path.total, siblings: path.siblings, loading: false, branching: null });
    for (const run of shownRuns) follow(sessionId, run.messageId, run.runId);
    void loadTrace(
      sessionId,
      messages.filter((m) => m.role === 'assistant' && !streaming.has(m.id)).map((m) => m.id),
    );
    const withFiles = messages.filter((m) => m.content.some((p) => p.type === 'attachment')).map((m) => m.id);
    if (withFiles.length > 0) {
      void api.call('messages.attachments', { messageIds: withFiles }).then(
        (result) => {
          if (get().sessionId !== sessionId) return;
          const byMessage: Record<string, string[]> = {};
          for (const a of result.attachments) (byMessage[a.messageId] ??= []).push(a.name);
          set((state) => ({ attachments: { ...state.attachments, ...byMessage } }));
        },
        () => undefined,
      );
    }
  };

  return {
    sessionId: null,
    loading: false,
    sending: false,
    ...emptyConversation(),

    async reload() {
      const sessionId = get().sessionId;
      if (sessionId) await reloadPath(sessionId);
    },

    track(messageId, runId) {
      const sessionId = get().sessionId;
      if (sessionId) follow(sessionId, messageId, runId);
    },

    loadDetails(messageIds) {
      const sessionId = get().sessionId;
      if (sessionId && messageIds.length) void loadTrace(sessionId, messageIds);
    },

    async open(sessionId) {
      // A chat whose first message was just sent here is open already, with its answer streaming.
      if (sessionId !== null && sessionId === get().sessionId && !get().loading) return;
      for (const messageId of [...runs.keys()]) endRun(messageId);
      pendingDeltas.clear();
      set({ sessionId, loading: sessionId !== null, ...emptyConversation() });
      if (!sessionId) return;
      try {
        await reloadPath(sessionId);
      } catch (error) {
        if (get().sessionId === sessionId) set({ loading: false, error: (error as Error).message });
      }
    },

    async send(text, resources = [], overBudget) {
      const sessionId = get().sessionId;
      if (!sessionId || get().sending) return false;
      set({ sending: true, error: null, blockedBySpending: null });
      try {
        const started = await api.call('chat.send', { sessionId, text, ...(resources.length ? { resources } : {}), ...(overBudget ? { overBudget } : {}) });
        set((state) => ({
          messages: [...state.messages, started.userMessage, started.assistantMessage],
          total: state.total + 2,
          sending: false,
          ...sentAfterBranching(state, started.userMessage.id),
          attachments: resources.length ? { ...state.attachments, [started.userMessage.id]: resources.map((r) => r.uri) } : state.attachments,
        }));
        follow(sessionId, started.assistantMessage.id, started.runId);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'budget_exceeded') set({ sending: false, blockedBySpending: error.message });
        else set({ sending: false, error: (error as Error).message });
        return false;
      }
    },

    async sendFirst(settings, text, resources = [], overBudget) {
      if (get().sending) return null;
      let session: Session;
      try {
        session = await api.call('sessions.create', { settings });
      } catch (error) {
        set({ error: (error as Error).message });
        return null;
      }
      set({
        sessionId: session.id,
        loading: false,
        ...emptyConversation(),
      });
      if (await get().send(text, resources, overBudget)) return session;
      const { error, blockedBySpending } = get();
      await api.call('sessions.discard', { id: session.id }).catch(() => undefined);
      set({ sessionId: null, error, blockedBySpending });
      return null;
    },

    async stop() {
      await Promise.all([...runs.values()].map((run) => api.call('chat.stop', { runId: run.runId }).catch(() => undefined)));
    },

    async approve(runId, toolCallId, allow, alwaysToolId) {
      try {
        // The rule first: a second call of the same tool in this very answer then runs without asking too.
        if (alwaysToolId) await api.call('tools.setPolicy', { toolId: alwaysToolId, policy: 'auto' });
        await api.call('chat.approve', { runId, toolCallId, allow });
        // Answered: the prompt goes at once (an allowed call now runs; a denied one will not) instead of waiting for its result.
        set((state) => ({
          toolCalls: Object.fromEntries(
            Object.entries(state.toolCalls).map(([messageId, calls]) => [
              messageId,
              calls.map((c) =>
                c.key === toolCallId && c.approval ? { ...c, approval: undefined, status: allow ? ('running' as const) : ('denied' as const) } : c,
              ),
            ]),
          ),
        }));
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },

    async elicit(runId, elicitationId, action, content) {
      try {
        await api.call('chat.elicit', { runId, elicitationId, action, ...(content ? { content } : {}) });
        return { ok: true };
      } catch (error) {
        // A refused answer leaves the question open: the form shows each field's problem next to it.
        const fields = error instanceof ApiError ? (error.shape.details?.['fields'] as Record<string, string> | undefined) : undefined;
        return { ok: false, message: (error as Error).message, fields: fields ?? {} };
      }
    },

    async retry(messageId, model) {
      const sessionId = get().sessionId;
      if (!sessionId) return;
      try {
        const started = await api.call('chat.retry', { messageId, ...(model ? { model } : {}) });
        // The new answer takes the old one's place on the visible path (what followed it was on the old branch);
        // the old one stays in the tree, one of the siblings the message now has.
        const answer = started.assistantMessage;
        set((state) => {
          const at = state.messages.findIndex((m) => m.id === messageId);
          const kept = at >= 0 ? state.messages.slice(0, at) : state.messages;
          const group = [...(state.siblings[messageId] ?? [messageId]), answer.id];
          return {
            messages: [...kept, answer],
            total: kept.length + 1 + (state.total - state.messages.length),
            siblings: { ...state.siblings, ...Object.fromEntries(group.map((id) => [id, group])) },
          };
        });
        follow(sessionId, answer.id, started.runId);
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },
  };
});

/** What a chat shows before its messages are read: nothing, and nothing left over from the chat before it. */
function emptyConversation(): Pick<
  ChatState,
  | 'messages'
  | 'total'
  | 'error'
  | 'blockedBySpending'
  | 'live'
  | 'notices'
  | 'unavailableTools'
  | 'toolCalls'
  | 'steps'
  | 'recalls'
  | 'attachments'
  | 'siblings'
  | 'deleted'
  | 'branching'
> {
  return {
    messages: [],
    total: 0,
    error: null,
    blockedBySpending: null,
    live: {},
    notices: {},
    unavailableTools: {},
    toolCalls: {},
    steps: {},
    recalls: {},
    attachments: {},
    siblings: {},
    deleted: null,
    branching: null,
  };
}

/** A message sent from a branch point joins what followed that answer as a sibling (‹ 2/2 ›). */
function sentAfterBranching(state: ChatState, userMessageId: string): Partial<ChatState> {
  if (!state.branching) return {};
  const group = [...state.branching.continuation, userMessageId];
  return { branching: null, siblings: { ...state.siblings, ...Object.fromEntries(group.map((id) => [id, group])) } };
}

function appendContent(content: ContentPart[], text: string, reasoning: string): ContentPart[] {
  const next = [...content];
  const add = (type: 'text' | 'reasoning', delta: string) => {
    if (!delta) return;
    const index = next.findIndex((p) => p.type === type);
    const current = index >= 0 ? next[index] : undefined;
    if (current && (current.type === 'text' || current.type === 'reasoning')) next[index] = { type, text: current.text + delta };
    else if (type === 'reasoning') next.unshift({ type, text: delta });
    else next.push({ type, text: delta });
  };
  add('reasoning', reasoning);
  add('text', text);
  return next;
}

export function messageText(message: Message): string {
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function messageReasoning(message: Message): string {
  return message.content.map((p) => (p.type === 'reasoning' ? p.text : '')).join('');
}
