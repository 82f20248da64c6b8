import { describe, expect, it } from 'vitest';
import type { TimedSpan } from '../../../../shared/index.js';
import { formatDuration, spanLabel, waterfallRows } from './waterfall-rows.js';

const span = (spanId: string, parentSpanId: string | null, start: number, duration: number, extra: Partial<TimedSpan> = {}): TimedSpan => ({
  traceId: 'a'.repeat(32),
  spanId,
  parentSpanId,
  name: spanId,
  kind: 'internal',
  start,
  duration,
  status: 'unset',
  statusMessage: null,
  attributes: {},
  events: [],
  p90: null,
  slow: false,
  ...extra,
});

describe('waterfall rows', () => {
  it('puts each span under its parent, siblings in start order, offsets from the trace start', () => {
    const rows = waterfallRows([
      span('tool', 'run', 1300, 200),
      span('run', null, 1000, 1000),
      span('chat2', 'run', 1600, 300, { events: [{ name: 'gen_ai.first_token', atMs: 1750, attributes: {} }] }),
      span('chat1', 'run', 1010, 250),
      span('write', 'chat1', 1200, 5),
    ]);
    expect(rows.map((r) => [r.span.spanId, r.depth, r.offset])).toEqual([
      ['run', 0, 0],
      ['chat1', 1, 10],
      ['write', 2, 200],
      ['tool', 1, 300],
      ['chat2', 1, 600],
    ]);
    expect(rows.find((r) => r.span.spanId === 'chat2')?.firstTokenAfter).toBe(150);
  });

  it('shows a span whose parent is left out at the top, and can leave spans out', () => {
    const spans = [span('run', null, 0, 10), span('write', 'run', 1, 1, { attributes: { 'db.system.name': 'sqlite' } }), span('orphan', 'gone', 2, 1)];
    expect(waterfallRows(spans, (s) => s.attributes['db.system.name'] === undefined).map((r) => [r.span.spanId, r.depth])).toEqual([
      ['run', 0],
      ['orphan', 0],
    ]);
  });

  it('labels durations in a unit that reads well', () => {
    expect([formatDuration(0), formatDuration(0.421), formatDuration(3.46), formatDuration(312.4), formatDuration(1240), formatDuration(12_340)]).toEqual([
      '0',
      '0.42 ms',
      '3.5 ms',
      '312 ms',
      '1.24 s',
      '12.3 s',
    ]);
  });
});

describe('span labels', () => {
  it("names each operation in the app's words, keeping unknown names as they are", () => {
    const named = (name: string, attributes: TimedSpan['attributes']) => spanLabel(span('s', null, 0, 1, { name, attributes }));
    expect(named('invoke_agent coda', { 'gen_ai.operation.name': 'invoke_agent' })).toBe('Answer');
    expect(named('chat gpt-4.1-mini', { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4.1-mini' })).toBe('Model · gpt-4.1-mini');
    expect(named('execute_tool coda__evaluate_math', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'coda__evaluate_math' })).toBe(
      'Tool · coda › evaluate_math',
    );
    expect(named('build_context', {})).toBe('Build context');
    expect(named('await_approval', { 'coda.operation': 'await_approval' })).toBe('Waiting for your approval');
    expect(named('INSERT agent_steps', { 'db.system.name': 'sqlite' })).toBe('Save · agent_steps');
    expect(named('something_else', {})).toBe('something_else');
  });
});
