import { useId } from 'react';
import { formatUsd as usd, type Message } from '../../../../shared/index.js';
import { useChat } from '../chat/chat-store.js';
import { totalOverhead } from '../steps/step-views.js';
import { useBreakdowns } from './breakdown-store.js';
import './usage.css';

const ESTIMATED_USAGE =
  'Estimated: the provider did not report usage for (part of) this answer (it was stopped or cut off, or the server sends none), so what was sent and received was counted with a tokenizer.';

const seconds = (ms: number, digits: number) => `${(ms / 1000).toFixed(digits)} s`;

/** The system prompt and tool definitions each request carried, added over the answer's requests (of its input). */
function unseen(steps: Parameters<typeof totalOverhead>[0] | undefined): string {
  const total = steps ? totalOverhead(steps) : null;
  if (!total) return 'not counted';
  return `≈ ${total.tokens.toLocaleString()} tokens over ${total.requests === 1 ? '1 request' : `${total.requests} requests`} (system prompt, tool definitions)`;
}

/** The answer's usage in one line; pressed, it opens the breakdown as billed (cached, cache-write, reasoning) and timings. */
export function UsageLine({ message }: { message: Message }) {
  const open = useBreakdowns((s) => s.open.includes(message.id));
  const toggle = useBreakdowns((s) => s.toggle);
  const steps = useChat((s) => s.steps[message.id]);
  const detailsId = useId();
  const parts: string[] = [];
  const usage = message.usage;
  // An estimate is never shown as if billed.
  const approx = usage?.source === 'estimate' ? '≈ ' : '';
  if (usage) parts.push(`${approx}${usage.inputTokens.toLocaleString()} in · ${usage.outputTokens.toLocaleString()} out`);
  if (usage) parts.push(message.costUsd !== null ? `${approx}${usd(message.costUsd)}` : 'cost unknown');
  if (usage && message.estimatedInputTokens !== null) parts.push(`est. ${message.estimatedInputTokens.toLocaleString()} in`);
  const { startedAt, firstTokenAt, finishedAt } = message.timing;
  if (startedAt !== null && firstTokenAt !== null) parts.push(`first token ${seconds(firstTokenAt - startedAt, 2)}`);
  if (startedAt !== null && finishedAt !== null) parts.push(seconds(finishedAt - startedAt, 1));
  if (parts.length === 0) return null;
  if (!usage) {
    return (
      <span className="message-usage" data-testid="message-usage">
        {parts.join(' · ')}
      </span>
    );
  }
  const rows: [string, string][] = [
    ['Input tokens', `${approx}${usage.inputTokens.toLocaleString()}`],
    ['of which read from cache', usage.cachedInputTokens.toLocaleString()],
    ['of which written to cache', usage.cacheWriteTokens.toLocaleString()],
    ['Output tokens', `${approx}${usage.outputTokens.toLocaleString()}`],
    ['of which reasoning', usage.reasoningTokens.toLocaleString()],
    ['Cost', message.costUsd !== null ? `${approx}${usd(message.costUsd)}` : 'unknown: no price for this model (Settings › Models and prices)'],
    [
      'Estimated before sending',
      message.estimatedInputTokens !== null
        ? `${message.estimatedInputTokens.toLocaleString()} input tokens (the conversation, without tool definitions)`
        : 'not made',
    ],
    ['Unseen in its requests', unseen(steps)],
    ['Counted by', usage.source === 'estimate' ? 'a tokenizer (estimate)' : `${message.provider ?? 'the provider'} (as billed)`],
  ];
  return (
    <>
      <button
        type="button"
        className="message-usage usage-toggle"
        aria-expanded={open}
        aria-controls={detailsId}
        onClick={() => toggle(message.id)}
        data-testid="message-usage"
        data-usage-source={usage.source}
        title={usage.source === 'estimate' ? ESTIMATED_USAGE : 'Show the breakdown'}
      >
        {parts.join(' · ')}
      </button>
      {open ? (
        <dl className="usage-breakdown" id={detailsId} data-testid="usage-breakdown">
          {rows.map(([term, value]) => (
            <div key={term} className={term.startsWith('of which') ? 'usage-part' : undefined}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </>
  );
}
