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
