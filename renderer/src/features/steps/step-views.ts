import type { AgentStep, RequestOverhead, RunEvent, ToolCall } from '../../../../shared/index.js';

type AgentStepKind = AgentStep['kind'];

/*
 * An answer's agent steps as the Steps panel shows them: built live from run events while the answer streams,
 * or read back from the store once it is saved. Pure functions, so the chat store only decides when they apply.
 */

/** One model turn: what it thought, what it wrote, and the tools it chose (by call key, see ToolCallView). */
export interface StepView {
  kind: AgentStepKind;
  reasoning: string;
  /** What the model wrote: its stated reason before choosing tools, or (in the last step) the final answer. */
  text: string;
  callKeys: string[];
  durationMs: number | null;
  /** What its request spent unseen (system prompt, tool definitions); known once the step is saved. */
  overhead: RequestOverhead | null;
  /** Its tools have started answering, so whatever the model writes next belongs to a new step. */
  closed: boolean;
}

export type StepEvent = Extract<RunEvent, { type: 'text-delta' | 'reasoning-delta' | 'tool-call' | 'tool-result' }>;

const emptyStep = (): StepView => ({ kind: 'synthesis', reasoning: '', text: '', callKeys: [], durationMs: null, overhead: null, closed: false });

/**
 * An answer's steps after one of its run's events. The run sends no "step started" event, but a step's tool calls
 * all arrive before any of their results (the agent runs them once the model's turn is over), so the first
 * result closes the step, and anything after it is the model's next turn.
 */
export function applyStepEvent(steps: StepView[], event: StepEvent): StepView[] {
  const last = steps.at(-1);
  const open = last && !last.closed ? last : null;
  const current = open ?? emptyStep();
  const before = open ? steps.slice(0, -1) : steps;
  switch (event.type) {
    case 'text-delta':
      return [...before, { ...current, text: current.text + event.text }];
    case 'reasoning-delta':
      return [...before, { ...current, reasoning: current.reasoning + event.text }];
    case 'tool-call':
      return [...before, { ...current, kind: 'tool-selection', callKeys: [...current.callKeys, event.toolCallId] }];
    case 'tool-result':
      return steps.map((step) => (step.callKeys.includes(event.toolCallId) ? { ...step, closed: true } : step));
  }
}

/** Text and reasoning received during one frame, applied in one go (the chat store batches deltas per frame). */
export function applyDeltas(steps: StepView[], delta: { text: string; reasoning: string }): StepView[] {
  let next = steps;
  if (delta.reasoning) next = applyStepEvent(next, { type: 'reasoning-delta', text: delta.reasoning, runId: '', seq: 1 });
  if (delta.text) next = applyStepEvent(next, { type: 'text-delta', text: delta.text, runId: '', seq: 1 });
  return next;
}

/** Saved steps (in order) with the calls each chose, grouped by the answer they belong to. */
export function stepViewsByMessage(steps: AgentStep[], toolCalls: ToolCall[]): Record<string, StepView[]> {
  const callsByStep = new Map<string, string[]>();
  for (const call of toolCalls) if (call.stepId) (callsByStep.get(call.stepId) ?? callsByStep.set(call.stepId, []).get(call.stepId)!).push(call.id);
  const byMessage: Record<string, StepView[]> = {};
  for (const step of [...steps].sort((a, b) => a.ordinal - b.ordinal)) {
    (byMessage[step.messageId] ??= []).push({
      kind: step.kind,
      reasoning: step.reasoning ?? '',
      text: step.content,
      callKeys: callsByStep.get(step.id) ?? [],
      durationMs: step.finishedAt === null ? null : step.finishedAt - step.startedAt,
      overhead: step.overhead,
      closed: true,
    });
  }
  return byMessage;
}

/**
 * The saved steps of an answer that just ended, plus what the events showed after the last saved one: a turn that
 * was stopped or failed midway is not saved as a step, but what it wrote and thought is still worth seeing.
 */
export function withUnsavedTail(saved: StepView[], live: StepView[] | undefined): StepView[] {
  if (!live || live.length <= saved.length) return saved;
  return [...saved, ...live.slice(saved.length).map((step) => ({ ...step, closed: true }))];
}

/** A step's heading: what the model did in it. */
export function stepTitle(step: StepView, index: number, last: boolean, streaming: boolean): string {
  const n = `Step ${index + 1}`;
  const calls = step.callKeys.length;
  if (calls > 0) return `${n} · chose ${calls === 1 ? 'a tool' : `${calls} tools`}`;
  if (last && streaming) return `${n} · writing…`;
  if (step.kind === 'synthesis') return `${n} · answer`;
  return `${n} · ${step.kind}`;
}

/** Up to this size JSON (a value, or text that parses as JSON) is pretty-printed; larger JSON is shown on one line, as sent. */
export const PRETTY_LIMIT = 2_000_000;
/** Up to this size plain text shows as plain text; longer text goes to the editor, which draws only what is on screen. */
export const PLAIN_LIMIT = 20_000;

/** How a tool's argument or output is shown: JSON and long text in the code viewer, short text as text. */
export type ValueView = { viewer: 'none' } | { viewer: 'text'; text: string } | { viewer: 'code'; language: 'json' | 'plaintext'; text: string };

export function valueView(value: unknown): ValueView {
  if (value === null || value === undefined || value === '') return { viewer: 'none' };
  if (typeof value === 'string') {
    const trimmed = value.trimStart();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && value.length <= PRETTY_LIMIT) {
      try {
        return { viewer: 'code', language: 'json', text: JSON.stringify(JSON.parse(value), null, 2) };
      } catch {
        // Not JSON after all: shown as the text it is.
      }
    }
    return value.length > PLAIN_LIMIT || value.split('\n', 40).length >= 40
      ? { viewer: 'code', language: 'plaintext', text: value }
      : { viewer: 'text', text: value };
  }
  try {
    // Indenting a very large value would hold up the page for nothing: past the limit it is shown as one line.
    const compact = JSON.stringify(value) ?? String(value);
    return { viewer: 'code', language: 'json', text: compact.length > PRETTY_LIMIT ? compact : (JSON.stringify(value, null, 2) ?? compact) };
  } catch {
    return { viewer: 'text', text: String(value) };
  }
}

/** "server › tool" and the parts, from a call's name (`server__tool`, or the bare name the model gave). */
export function callName(name: string): { server: string | null; tool: string } {
  const at = name.indexOf('__');
  return at < 0 ? { server: null, tool: name } : { server: name.slice(0, at), tool: name.slice(at + 2) };
}

/** What a request sent that the user never reads, in words; null when nothing (or nothing known) was sent. */
export function overheadText(overhead: RequestOverhead | null): string | null {
  if (!overhead || (overhead.systemPromptTokens === 0 && overhead.tools === 0)) return null;
  const parts = [
    overhead.systemPromptTokens > 0 ? `the system prompt (≈ ${overhead.systemPromptTokens.toLocaleString()} tokens)` : '',
    overhead.tools > 0
      ? `${overhead.tools === 1 ? '1 tool definition' : `${overhead.tools} tool definitions`} (≈ ${overhead.toolDefinitionTokens.toLocaleString()} tokens)`
      : '',
  ].filter(Boolean);
  return `Also sent with this request, unseen: ${parts.join(' and ')}.`;
}

/** The unseen part of all of an answer's requests together (each step sends it again). */
export function totalOverhead(steps: readonly StepView[]): { tokens: number; requests: number } | null {
  const counted = steps.flatMap((s) => (s.overhead ? [s.overhead] : []));
  if (counted.length === 0) return null;
  return { tokens: counted.reduce((sum, o) => sum + o.systemPromptTokens + o.toolDefinitionTokens, 0), requests: counted.length };
}
