import { line, max, scaleBand, scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatUsd as usd, type UsageRow } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { answerBars, type AnswerBar } from './chart-data.js';
import { downloadText } from './download.js';
import './usage.css';

const HEIGHT = 200;
const MARGIN = { top: 12, right: 56, bottom: 24, left: 52 };
const PART_LABEL = { cached: 'cached input', input: 'input', output: 'output' } as const;

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

function describeBar(bar: AnswerBar): string {
  const { row } = bar;
  const approx = row.estimated ? '≈ ' : '';
  return [
    `Answer ${bar.index + 1} · ${row.model ?? 'unknown model'} · ${new Date(row.at).toLocaleString()}`,
    `${approx}${row.inputTokens.toLocaleString()} in (${row.cachedInputTokens.toLocaleString()} cached) · ${approx}${row.outputTokens.toLocaleString()} out`,
    `${row.costUsd === null ? 'cost unknown' : `${approx}${usd(row.costUsd)}`} · ${usd(bar.runningCostUsd)} so far`,
  ].join('\n');
}

/** The chat's answers, one bar each (tokens, stacked) with the running cost as a line: d3 scales, drawn by React. */
export function ChatUsageChart({ sessionId }: { sessionId: string }) {
  const [rows, setRows] = useState<UsageRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [width, setWidth] = useState(560);
  const [focused, setFocused] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    api.call('usage.answers', { sessionId }).then(
      (result) => current && setRows(result.rows),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [sessionId]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(240, Math.floor(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const bars = useMemo(() => answerBars(rows ?? []), [rows]);
  const x = useMemo(
    () =>
      scaleBand<number>()
        .domain(bars.map((b) => b.index))
        .range([MARGIN.left, width - MARGIN.right])
        .padding(0.2),
    [bars, width],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, max(bars, (b) => b.total) || 1])
        .nice()
        .range([HEIGHT - MARGIN.bottom, MARGIN.top]),
    [bars],
  );
  const yCost = useMemo(
    () =>
      scaleLinear()
        .domain([0, max(bars, (b) => b.runningCostUsd) || 0.01])
        .nice()
        .range([HEIGHT - MARGIN.bottom, MARGIN.top]),
    [bars],
  );
  const costPath = useMemo(
    () =>
      line<AnswerBar>()
        .x((b) => (x(b.index) ?? 0) + x.bandwidth() / 2)
        .y((b) => yCost(b.runningCostUsd))(bars) ?? '',
    [bars, x, yCost],
  );

  const exportCsv = async () => {
    const { usageCsv } = await import('../../../../shared/data/usage-csv.js');
    downloadText(`coda-chat-usage-${sessionId.slice(0, 8)}.csv`, `${usageCsv(rows ?? [])}\r\n`, 'text/csv');
  };

  if (error) return <p className="field-error">{error}</p>;
  const shown = focused === null ? null : bars[focused];
  return (
    <div className="usage-chart" ref={box} data-testid="usage-chart">
      {rows === null ? <p className="hint">Loading…</p> : null}
      {rows?.length === 0 ? <p className="hint">No answers with usage in this chat yet.</p> : null}
      {bars.length > 0 ? (
        <>
          <svg width={width} height={HEIGHT} role="group" aria-label={`Tokens and cost of ${bars.length} answers`}>
            {y.ticks(4).map((tick) => (
              <g key={`y${tick}`} className="chart-grid">
                <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
                <text x={MARGIN.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                  {compact.format(tick)}
                </text>
              </g>
            ))}
            {yCost.ticks(4).map((tick) => (
              <text key={`c${tick}`} className="chart-axis-cost" x={width - MARGIN.right + 6} y={yCost(tick)} dominantBaseline="middle">
                {usd(tick)}
              </text>
            ))}
            {bars.map((bar) => (
              <g
                key={bar.row.messageId}
                className="chart-bar"
                tabIndex={0}
                role="img"
                aria-label={describeBar(bar).replace(/\n/g, '; ')}
                onMouseEnter={() => setFocused(bar.index)}
                onMouseLeave={() => setFocused(null)}
                onFocus={() => setFocused(bar.index)}
                onBlur={() => setFocused(null)}
                data-testid="usage-bar"
              >
                {bar.parts.map((part) => (
                  <rect
                    key={part.key}
                    className={`bar-${part.key}`}
                    x={x(bar.index)}
                    width={x.bandwidth()}
                    y={y(part.to)}
                    height={Math.max(0, y(part.from) - y(part.to))}
                  />
                ))}
              </g>
            ))}
            <path className="chart-cost-line" d={costPath} />
            {bars.map((bar) => (
              <circle key={`c${bar.index}`} className="chart-cost-dot" cx={(x(bar.index) ?? 0) + x.bandwidth() / 2} cy={yCost(bar.runningCostUsd)} r={3} />
            ))}
            <text x={MARGIN.left} y={HEIGHT - 6} className="chart-caption">
              {bars.length === 1 ? 'answer 1' : `answers 1–${bars.length}`}
            </text>
          </svg>
          <p className="chart-tooltip" role="status" data-testid="usage-tooltip">
            {shown ? describeBar(shown) : 'Point at or Tab to an answer for its numbers.'}
          </p>
          <div className="chart-legend">
            {(['cached', 'input', 'output'] as const)
              .filter((key) => key !== 'cached' || bars.some((b) => b.row.cachedInputTokens > 0))
              .map((key) => (
                <span key={key}>
                  <i className={`swatch bar-${key}`} aria-hidden="true" /> {PART_LABEL[key]} tokens
                </span>
              ))}
            <span>
              <i className="swatch swatch-line" aria-hidden="true" /> cost so far (right axis)
            </span>
            <button type="button" className="link" onClick={() => void exportCsv()} data-testid="chat-usage-csv">
              CSV
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}
