import { describe, expect, it } from 'vitest';
import type { AgentStep, ToolCall } from '../../../../shared/index.js';
import {
  applyDeltas,
  overheadText,
  totalOverhead,
  applyStepEvent,
  PLAIN_LIMIT,
  PRETTY_LIMIT,
  stepTitle,
  stepViewsByMessage,
  valueView,
  withUnsavedTail,
  type StepEvent,
  type StepView,
} from './step-views.js';

const base = { runId: 'run', seq: 1 };
const c1 = '01a237c8-50e4-743a-99ad-3744515742ab';
const c2 = '01a237c8-50e4-743a-99ad-38f641c2f544';
const c3 = '01a237c8-50e4-743a-99ad-39f641c2f544';

const play = (events: StepEvent[]) => events.reduce<StepView[]>(applyStepEvent, []);

describe('steps from run events', () => {
  it('splits an answer into model turns: reasoning and reason, the calls chosen, then the answer', () => {
    const steps = play([
      { ...base, type: 'reasoning-delta', text: 'Need the ' },
      { ...base, type: 'reasoning-delta', text: 'weather.' },
      { ...base, type: 'text-delta', text: 'Let me check.' },
      { ...base, type: 'tool-call', toolCallId: c1, providerCallId: 'a', name: 'weather__forecast', arguments: '{}' },
      { ...base, type: 'tool-call', toolCallId: c2, providerCallId: 'b', name: 'weather__alerts', arguments: '{}' },
      { ...base, type: 'tool-result', toolCallId: c2, output: 'none', isError: false },
      { ...base, type: 'tool-result', toolCallId: c1, output: 'sun', isError: false },
      { ...base, type: 'reasoning-delta', text: 'Sunny.' },
      { ...base, type: 'text-delta', text: 'It will be sunny.' },
    ]);
    expect(steps).toEqual([
      { kind: 'tool-selection', reasoning: 'Need the weather.', text: 'Let me check.', callKeys: [c1, c2], durationMs: null, overhead: null, closed: true },
      { kind: 'synthesis', reasoning: 'Sunny.', text: 'It will be sunny.', callKeys: [], durationMs: null, overhead: null, closed: false },
    ]);
  });

  it('starts a new step for a call chosen right after the results of the last, even with nothing written between', () => {
    const steps = play([
      { ...base, type: 'tool-call', toolCallId: c1, providerCallId: 'a', name: 'fs__list', arguments: '{}' },
      { ...base, type: 'tool-result', toolCallId: c1, output: [], isError: false },
      { ...base, type: 'tool-call', toolCallId: c3, providerCallId: 'c', name: 'fs__read', arguments: '{}' },
    ]);
    expect(steps.map((s) => s.callKeys)).toEqual([[c1], [c3]]);
  });

  it("applies a frame's batched deltas as reasoning first, then text, to the open step", () => {
    const steps = applyDeltas(applyDeltas([], { text: 'Hel', reasoning: 'think' }), { text: 'lo', reasoning: '' });
    expect(steps).toEqual([expect.objectContaining({ reasoning: 'think', text: 'Hello', callKeys: [] })]);
  });
});

describe('steps as saved', () => {
  it('orders steps by ordinal and gives each the calls it chose, per answer', () => {
    const step = (id: string, messageId: string, ordinal: number, kind: AgentStep['kind'], content: string): AgentStep => ({
      id,
      messageId,
      ordinal,
      kind,
      content,
      reasoning: ordinal === 0 ? 'why' : null,
      overhead: null,
      context: null,
      recall: null,
      spanId: null,
      startedAt: 1000,
      finishedAt: 1250,
    });
    const call = (id: string, messageId: string, stepId: string | null): ToolCall => ({
      id,
      messageId,
      stepId,
      server: 'coda',
      tool: 'evaluate_math',
      providerCallId: null,
      input: {},
      output: null,
      status: 'success',
      error: null,
      evaluation: null,
      spanId: null,
      startedAt: null,
      finishedAt: null,
    });
    const byMessage = stepViewsByMessage(
      [step('s2', 'm1', 1, 'synthesis', 'Done.'), step('s1', 'm1', 0, 'tool-selection', 'Computing.'), step('s3', 'm2', 0, 'synthesis', 'Hi.')],
      [call(c1, 'm1', 's1'), call(c2, 'm1', 's1'), call(c3, 'm1', null)],
    );
    expect(byMessage['m1']).toEqual([
      { kind: 'tool-selection', reasoning: 'why', text: 'Computing.', callKeys: [c1, c2], durationMs: 250, overhead: null, closed: true },
      { kind: 'synthesis', reasoning: '', text: 'Done.', callKeys: [], durationMs: 250, overhead: null, closed: true },
    ]);
    expect(byMessage['m2']).toHaveLength(1);
  });
});

describe('an answer that just ended', () => {
  const step = (text: string, closed = true): StepView => ({ kind: 'synthesis', reasoning: '', text, callKeys: [], durationMs: 5, overhead: null, closed });
  it('keeps the turn that was stopped before it was saved, after the saved ones', () => {
    const saved = [step('Saved turn.')];
    expect(withUnsavedTail(saved, [step('Saved turn.'), step('Half a sen', false)])).toEqual([step('Saved turn.'), step('Half a sen')]);
  });
  it('takes the saved steps when the events showed no more (or nothing: a chat opened later)', () => {
    const saved = [step('One.'), step('Two.')];
    expect(withUnsavedTail(saved, [step('One.'), step('Two.')])).toBe(saved);
    expect(withUnsavedTail(saved, undefined)).toBe(saved);
  });
});

describe('step titles', () => {
  const step = (callKeys: string[]): StepView => ({
    kind: callKeys.length ? 'tool-selection' : 'synthesis',
    reasoning: '',
    text: '',
    callKeys,
    durationMs: null,
    overhead: null,
    closed: false,
  });
  it('says what the model did in the step', () => {
    expect(stepTitle(step([c1]), 0, false, false)).toBe('Step 1 · chose a tool');
    expect(stepTitle(step([c1, c2]), 0, false, false)).toBe('Step 1 · chose 2 tools');
    expect(stepTitle(step([]), 1, true, true)).toBe('Step 2 · writing…');
    expect(stepTitle(step([]), 1, true, false)).toBe('Step 2 · answer');
  });
});

describe('how a value is shown', () => {
  it('puts objects and JSON text in the code viewer as indented JSON', () => {
    expect(valueView({ a: [1] })).toEqual({ viewer: 'code', language: 'json', text: '{\n  "a": [\n    1\n  ]\n}' });
    expect(valueView('  {"a":1}')).toEqual({ viewer: 'code', language: 'json', text: '{\n  "a": 1\n}' });
  });

  it('keeps JSON over the limit on one line instead of indenting it', () => {
    const big = { rows: 'x'.repeat(PRETTY_LIMIT) };
    expect(valueView(big)).toEqual({ viewer: 'code', language: 'json', text: JSON.stringify(big) });
  });

  it('shows short text as text, long text in the viewer, and nothing as nothing', () => {
    expect(valueView('{not json')).toEqual({ viewer: 'text', text: '{not json' });
    expect(valueView('plain words')).toEqual({ viewer: 'text', text: 'plain words' });
    expect(valueView('x'.repeat(PLAIN_LIMIT + 1))).toMatchObject({ viewer: 'code', language: 'plaintext' });
    expect(valueView(Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'))).toMatchObject({ viewer: 'code', language: 'plaintext' });
    expect(valueView(null)).toEqual({ viewer: 'none' });
    expect(valueView('')).toEqual({ viewer: 'none' });
  });
});

describe('what a request spends unseen', () => {
  const saved = (overhead: StepView['overhead']): StepView => ({
    kind: 'synthesis',
    reasoning: '',
    text: '',
    callKeys: [],
    durationMs: 1,
    overhead,
    closed: true,
  });
  it('names the system prompt and the tool definitions with their tokens, and adds them up over the requests', () => {
    const overhead = { systemPromptTokens: 14, toolDefinitionTokens: 3210, tools: 23 };
    expect(overheadText(overhead)).toBe('Also sent with this request, unseen: the system prompt (≈ 14 tokens) and 23 tool definitions (≈ 3,210 tokens).');
    expect(overheadText({ systemPromptTokens: 0, toolDefinitionTokens: 40, tools: 1 })).toBe(
      'Also sent with this request, unseen: 1 tool definition (≈ 40 tokens).',
    );
    expect(overheadText({ systemPromptTokens: 0, toolDefinitionTokens: 0, tools: 0 })).toBeNull();
    expect(overheadText(null)).toBeNull();
    expect(totalOverhead([saved(overhead), saved(overhead), saved(null)])).toEqual({ tokens: 6448, requests: 2 });
    expect(totalOverhead([saved(null)])).toBeNull();
  });
});
