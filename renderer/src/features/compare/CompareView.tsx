import { useEffect, useMemo, useRef, useState } from 'react';
import { formatUsd, type BranchTotals, type CompareMessage, type CompareRow, type CompareTurn } from '../../../../shared/index.js';
import { useEscape } from '../../app/escape.js';
import { useCompare, type Side } from './compare-store.js';
import { wordDiff, type DiffPart } from './word-diff.js';
import './compare.css';

const NAMES: Record<Side, string> = { left: 'A', right: 'B' };

/**
 * Two branches of the chat side by side from the message they share: turns aligned row by row, the words only one
 * side has highlighted (jsdiff, drawn as text nodes, never markup), each side's model, tokens, cost and time on
 * top, and "Use this branch". Narrow windows show one side at a time with a switcher. Escape closes it.
 */
export function CompareView() {
  const { target, result, error, close, use } = useCompare();
  const [shown, setShown] = useState<Side>('left');
  const heading = useRef<HTMLHeadingElement>(null);
  useEscape(target !== null, close);
  useEffect(() => {
    heading.current?.focus();
  }, [target]);
  if (!target) return null;

  return (
    <section className={`compare-panel compare-show-${shown}`} aria-labelledby="compare-heading" data-testid="compare-panel">
      <div className="compare-toolbar">
        <h2 id="compare-heading" tabIndex={-1} ref={heading}>
          Compare branches
        </h2>
        <span className="compare-from" data-testid="compare-from">
          {result ? (result.ancestor ? `From: ${excerpt(result.ancestor.text)}` : 'From the start of the chat') : error ? '' : 'Loading…'}
        </span>
        <button type="button" className="icon-text" onClick={close} data-testid="close-compare">
          Close
        </button>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      {result ? (
        <>
          <div className="compare-switcher" role="group" aria-label="Side shown">
            {(['left', 'right'] as const).map((side) => (
              <button
                key={side}
                type="button"
                className="icon-text"
                aria-pressed={shown === side}
                onClick={() => setShown(side)}
                data-testid={`compare-show-${side}`}
              >
                Branch {NAMES[side]}
              </button>
            ))}
          </div>
          <div className="compare-scroll">
            <div className="compare-row compare-heads">
              {(['left', 'right'] as const).map((side) => (
                <SideHeader key={side} side={side} totals={result[side].totals} onUse={() => void use(side)} />
              ))}
            </div>
            {result.rows.map((row, i) => (
              <Row key={i} row={row} index={i} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}

function SideHeader({ side, totals, onUse }: { side: Side; totals: BranchTotals; onUse(): void }) {
  const unpriced = totals.unpricedAnswers > 0 ? ` (+${totals.unpricedAnswers} unpriced)` : '';
  return (
    <div className={`compare-cell compare-col-${side} compare-head`} data-testid={`compare-head-${side}`}>
      <h3>
        Branch {NAMES[side]} · <span data-testid="compare-models">{totals.models.join(', ') || 'no answers'}</span>
      </h3>
      <dl className="compare-totals">
        <dt>Tokens</dt>
        <dd data-testid="compare-tokens">
          {totals.inputTokens.toLocaleString()} in · {totals.outputTokens.toLocaleString()} out
          {totals.estimatedAnswers > 0 ? ' (estimated in part)' : ''}
        </dd>
        <dt>Cost</dt>
        <dd data-testid="compare-cost">
          {formatUsd(totals.costUsd)}
          {unpriced}
        </dd>
        <dt>Time</dt>
        <dd data-testid="compare-latency">
          {seconds(totals.latencyMs)}
          {totals.firstTokenMs === null ? '' : ` · first token ${seconds(totals.firstTokenMs)}`}
        </dd>
        <dt>Answers</dt>
        <dd>
          {totals.answers} · {totals.toolCalls === 1 ? '1 tool call' : `${totals.toolCalls} tool calls`}
        </dd>
      </dl>
      <button type="button" onClick={onUse} data-testid={`compare-use-${side}`}>
        Use this branch
      </button>
    </div>
  );
}

/** One turn of each side; the question, then each answer, diffed against the other side's at the same place. */
function Row({ row, index }: { row: CompareRow; index: number }) {
  return (
    <div className="compare-row" role="group" aria-label={`Turn ${index + 1}`} data-testid="compare-row">
      {(['left', 'right'] as const).map((side) => (
        <Cell key={side} side={side} turn={row[side]} other={row[side === 'left' ? 'right' : 'left']} />
      ))}
    </div>
  );
}

function Cell({ side, turn, other }: { side: Side; turn: CompareTurn | null; other: CompareTurn | null }) {
  if (!turn)
    return (
      <div className={`compare-cell compare-col-${side} compare-missing`} data-testid={`compare-cell-${side}`}>
        No turn here on branch {NAMES[side]}.
      </div>
    );
  return (
    <div className={`compare-cell compare-col-${side}`} data-testid={`compare-cell-${side}`}>
      {turn.question ? (
        <div className="compare-question">
          <span className="compare-who">You</span>
          <DiffText side={side} text={turn.question.text} against={other?.question?.text ?? null} />
        </div>
      ) : null}
      {turn.answers.map((answer, i) => (
        <div key={answer.id} className="compare-answer" data-testid="compare-answer">
          <span className="compare-who">{answerMeta(answer)}</span>
          <DiffText side={side} text={answer.text} against={other?.answers[i]?.text ?? null} />
        </div>
      ))}
    </div>
  );
}

/** Text with the words the other side lacks highlighted; plain when there is nothing to set it against. */
function DiffText({ side, text, against }: { side: Side; text: string; against: string | null }) {
  const parts = useMemo<DiffPart[] | null>(() => {
    if (against === null) return null;
    const diff = side === 'left' ? wordDiff(text, against) : wordDiff(against, text);
    return diff ? diff[side] : null;
  }, [side, text, against]);
  return (
    <p className="compare-text" data-testid="compare-text">
      {parts
        ? parts.map((part, i) =>
            part.changed ? (
              <mark key={i} className={`compare-diff compare-diff-${side}`} data-testid="compare-diff">
                {part.text}
              </mark>
            ) : (
              part.text
            ),
          )
        : text || '(empty)'}
    </p>
  );
}

function answerMeta(answer: CompareMessage): string {
  const bits = [answer.model ?? (answer.role === 'assistant' ? 'Answer' : answer.role)];
  if (answer.usage) bits.push(`${(answer.usage.inputTokens + answer.usage.outputTokens).toLocaleString()} tokens`);
  if (answer.costUsd !== null) bits.push(formatUsd(answer.costUsd));
  const { startedAt, finishedAt } = answer.timing;
  if (startedAt !== null && finishedAt !== null) bits.push(seconds(finishedAt - startedAt));
  if (answer.toolCalls > 0) bits.push(answer.toolCalls === 1 ? '1 tool call' : `${answer.toolCalls} tool calls`);
  if (answer.status !== 'complete') bits.push(answer.status);
  return bits.join(' · ');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
};
