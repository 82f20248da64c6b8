import { scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodOutput, TimedSpan } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { formatDuration, isDatabaseWrite, spanLabel, waterfallRows, type WaterfallRow } from './waterfall-rows.js';
import './waterfall.css';

type Spans = MethodOutput<'messages.spans'>;

/**
 * An answer's timing: its spans as bars on one time scale, nested under the answer, each with its duration; failed
 * operations are marked, and so are those slower than their 90th percentile over the user's history.
 */
export function Waterfall({ messageId }: { messageId: string }) {
  const [state, setState] = useState<{ spans: Spans | null; error: string | null }>({ spans: null, error: null });
  const [showWrites, setShowWrites] = useState(false);
  const figure = useRef<HTMLElement>(null);
  useEffect(() => {
    let live = true;
    api.call('messages.spans', { messageId }).then(
      (spans) => live && setState({ spans, error: null }),
      (error: Error) => live && setState({ spans: null, error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [messageId]);

  const all = state.spans?.spans;
  // Opened below the fold (under the last answer, behind the composer), it would seem not to open: bring it into view.
  const loaded = all !== undefined;
  useEffect(() => {
    const motion = window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
    if (loaded) figure.current?.scrollIntoView({ block: 'nearest', behavior: motion });
  }, [loaded]);
  const writes = useMemo(() => all?.filter(isDatabaseWrite).length ?? 0, [all]);
  const rows = useMemo(() => (all ? waterfallRows(all, (s) => showWrites || !isDatabaseWrite(s)) : []), [all, showWrites]);

  if (state.error)
    return (
      <div className="waterfall" role="alert">
        {state.error}
      </div>
    );
  if (!all)
    return (
      <div className="waterfall" aria-busy="true">
        Loading timings…
      </div>
    );
  if (all.length === 0)
    return (
      <div className="waterfall" data-testid="waterfall-empty">
        No timings for this answer (they are kept for the days set in Settings › Data).
      </div>
    );
  const total = Math.max(...rows.map((r) => r.offset + r.span.duration), 0.001);
  const x = scaleLinear().domain([0, total]).range([0, 100]);
  return (
    <figure className="waterfall" data-testid="waterfall" aria-label="Timing of this answer" ref={figure}>
      <div className="waterfall-axis" aria-hidden="true">
        {x.ticks(5).map((tick) => (
          <span key={tick} style={{ left: `${x(tick)}%` }}>
            {formatDuration(tick)}
          </span>
        ))}
      </div>
      <ol className="waterfall-rows">
        {rows.map((row) => (
          <Row key={row.span.spanId} row={row} x={x} />
        ))}
      </ol>
      {writes > 0 ? (
        <label className="waterfall-option">
          <input type="checkbox" checked={showWrites} onChange={(e) => setShowWrites(e.target.checked)} data-testid="waterfall-writes" /> Show database writes (
          {writes})
        </label>
      ) : null}
    </figure>
  );
}

function Row({ row, x }: { row: WaterfallRow; x: (ms: number) => number }) {
  const { span, depth, offset, firstTokenAfter } = row;
  const failed = span.status === 'error';
  const width = Math.max(x(offset + span.duration) - x(offset), 0.25);
  return (
    <li
      className={`waterfall-row${failed ? ' waterfall-failed' : ''}${span.slow ? ' waterfall-slow' : ''}`}
      data-testid="waterfall-row"
      data-depth={depth}
      data-status={span.status}
    >
      <span className="waterfall-label" style={{ paddingLeft: `${depth * 12}px` }} title={describe(span)}>
        {failed ? (
          <span className="waterfall-mark" data-testid="waterfall-error" aria-label="failed" title={span.statusMessage ?? 'failed'}>
            ✕
          </span>
        ) : null}
        {spanLabel(span)}
      </span>
      <span className="waterfall-track">
        <span className="waterfall-bar" style={{ left: `${x(offset)}%`, width: `${width}%` }} data-testid="waterfall-bar">
          {firstTokenAfter !== null ? (
            <span
              className="waterfall-event"
              style={{ left: `${(firstTokenAfter / Math.max(span.duration, 0.001)) * 100}%` }}
              title={`first token after ${formatDuration(firstTokenAfter)}`}
            />
          ) : null}
        </span>
      </span>
      <span className="waterfall-duration" data-testid="waterfall-duration">
        {formatDuration(span.duration)}
        {span.slow && span.p90 !== null ? (
          <span
            className="waterfall-slow-mark"
            data-testid="waterfall-slow"
            title={`Slower than 90% of earlier "${span.name}" (90th percentile ${formatDuration(span.p90)})`}
          >
            slow
          </span>
        ) : null}
      </span>
    </li>
  );
}

/** The tooltip: what the operation was, as its attributes say. */
function describe(span: TimedSpan): string {
  const lines = [span.name, `${formatDuration(span.duration)}${span.status === 'error' ? ` · failed: ${span.statusMessage ?? ''}` : ''}`];
  for (const [key, value] of Object.entries(span.attributes)) lines.push(`${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return lines.join('\n');
}
