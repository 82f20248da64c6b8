import type { TimedSpan } from '../../../../shared/index.js';

/** One row of the waterfall: a span, how deep it sits under the answer's span, and where it starts relative to it. */
export interface WaterfallRow {
  span: TimedSpan;
  depth: number;
  /** ms from the start of the trace. */
  offset: number;
  /** When the first token came, ms after this span's start (model calls only). */
  firstTokenAfter: number | null;
}

/** Database writes are many (a save every 250 ms while an answer streams): the waterfall can leave them out. */
export function isDatabaseWrite(span: TimedSpan): boolean {
  return span.attributes['db.system.name'] !== undefined;
}

/**
 * The spans as the waterfall lists them: each under its parent, siblings by start time (depth first), so a
 * child always follows its parent. A span whose parent is missing (pruned, or not yet written) is shown at the top level.
 */
export function waterfallRows(spans: TimedSpan[], include: (span: TimedSpan) => boolean = () => true): WaterfallRow[] {
  const kept = spans.filter(include);
  const ids = new Set(kept.map((s) => s.spanId));
  const children = new Map<string | null, TimedSpan[]>();
  for (const span of kept) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const start = Math.min(...kept.map((s) => s.start));
  const rows: WaterfallRow[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const span of [...(children.get(parent) ?? [])].sort((a, b) => a.start - b.start)) {
      const firstToken = span.events.find((e) => e.name === 'gen_ai.first_token');
      rows.push({ span, depth, offset: span.start - start, firstTokenAfter: firstToken ? firstToken.atMs - span.start : null });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}

/** "1.24 s", "312 ms", "0.42 ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

/** A tool's name as the rest of the app shows it ("coda › evaluate_math"), from the name the model was given. */
const toolLabel = (name: string) => name.replace('__', ' › ');

/**
 * What a span did, in the app's words (its OpenTelemetry name stays in the tooltip): "Answer", "Model · gpt-4.1",
 * "Tool · coda › evaluate_math", "Build context", "Save · messages".
 */
export function spanLabel(span: TimedSpan): string {
  const attr = (key: string) => (typeof span.attributes[key] === 'string' ? (span.attributes[key] as string) : null);
  switch (attr('gen_ai.operation.name')) {
    case 'invoke_agent':
      return 'Answer';
    case 'chat':
      return `Model · ${attr('gen_ai.request.model') ?? span.name.replace(/^chat /, '')}`;
    case 'execute_tool':
      return `Tool · ${toolLabel(attr('gen_ai.tool.name') ?? span.name.replace(/^execute_tool /, ''))}`;
  }
  if (span.name === 'build_context') return 'Build context';
  if (span.name === 'list_tools') return 'List tools';
  if (span.name === 'await_approval') return 'Waiting for your approval';
  const write = /^(INSERT|UPDATE|DELETE) (\w+)/.exec(span.name);
  if (write) return `Save · ${write[2]}`;
  return span.name;
}
