import {
  problemText,
  type AgentStep,
  type CodaClient,
  type Feedback,
  type Message,
  type MethodOutput,
  type Session,
  type SpanStatus,
  type ToolCall,
} from '../../../shared/index.js';
import { withoutControls } from './elicit-prompt.js';
import { answeredBy, formatUsage, messageText } from './output.js';

/** Everything `coda sessions show` prints; `--json` prints exactly this. */
export interface SessionView {
  session: Session;
  messages: Message[];
  total: number;
  /** The tool calls of the answers shown, in order; each names its message (and step). */
  toolCalls: ToolCall[];
  steps: AgentStep[];
  totals: MethodOutput<'sessions.totals'>;
  /** Per answer (by message id), the timing of what it did: its spans in start order (none once pruned). */
  spans: Record<string, SpanSummary[]>;
}

/** One span of an answer: start in ms since the epoch, duration in ms. */
export interface SpanSummary {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  start: number;
  duration: number;
  status: SpanStatus;
}

const SHOWN_MESSAGES = 1000;
const SHORT = 160;

export async function loadSessionView(client: CodaClient, session: Session): Promise<SessionView> {
  const { messages, total } = await client.call('messages.path', { sessionId: session.id, limit: SHOWN_MESSAGES });
  const answers = messages.filter((m) => m.role === 'assistant').map((m) => m.id);
  const { toolCalls, steps } = answers.length > 0 ? await client.call('messages.agentTrace', { messageIds: answers }) : { toolCalls: [], steps: [] };
  const totals = await client.call('sessions.totals', { id: session.id });
  const spans: Record<string, SpanSummary[]> = {};
  for (const message of messages.filter((m) => m.role === 'assistant' && m.traceId)) {
    const trace = await client.call('messages.spans', { messageId: message.id });
    spans[message.id] = trace.spans.map(({ spanId, parentSpanId, name, start, duration, status }) => ({ spanId, parentSpanId, name, start, duration, status }));
  }
  return { session, messages, total, toolCalls, steps, totals, spans };
}

export function formatSessionView(view: SessionView): string {
  const { session, totals } = view;
  const fallbacks = session.settings.fallbacks.map((f) => `${f.provider}/${f.model}`).join(', ');
  const about = totals.estimatedAnswers > 0 ? '≈' : '';
  const notes = [
    totals.unpricedAnswers ? `+${totals.unpricedAnswers} unpriced answers` : '',
    totals.estimatedAnswers ? `${totals.estimatedAnswers} estimated` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const spent =
    totals.answers > 0
      ? `\n${about}${totals.inputTokens + totals.outputTokens} tokens, ${about}$${totals.costUsd.toFixed(6)}${notes ? ` (${notes})` : ''}`
      : '';
  const parts = [
    `# ${session.title}\nmodel setting: ${session.settings.provider}/${session.settings.model}${fallbacks ? ` (fallbacks: ${fallbacks})` : ''}${spent}\n`,
  ];
  if (view.total > view.messages.length) parts.push(`(the last ${view.messages.length} of ${view.total} messages)\n`);
  const stepNumber = new Map(view.steps.map((s) => [s.id, s.ordinal + 1]));
  for (const message of view.messages) {
    if (message.role !== 'assistant') {
      parts.push(`## ${message.role}\n${messageText(message)}\n`);
      continue;
    }
    const calls = view.toolCalls.filter((c) => c.messageId === message.id);
    const tools = calls.length > 0 ? `tool calls:\n${calls.map((c) => formatToolCall(c, stepNumber)).join('')}` : '';
    const feedback = message.feedback ? `\n${formatFeedback(message.feedback)}` : '';
    // The id is what `coda feedback` takes.
    parts.push(
      `## ${answerHeading(message)}\nanswer id: ${message.id}\n${tools}${messageText(message)}${message.error ? `\n[error] ${message.error.message}` : ''}${feedback}\n`,
    );
  }
  return `${parts.join('\n')}\n`;
}

/** "assistant · gemini/gemini-2.5-flash, after anthropic/… failed (complete; 10 in / 5 out tokens, …)". */
function answerHeading(message: Message): string {
  const who = answeredBy(message);
  const failed = message.route
    .slice(0, -1)
    .filter((step) => step.error)
    .map((step) => `${step.provider}/${step.model}`);
  const after = failed.length > 0 ? `, after ${failed.join(' and ')} failed` : '';
  const meta = [message.status !== 'complete' ? message.status : '', formatUsage(message)].filter(Boolean).join('; ');
  return `assistant${who ? ` · ${who}${after}` : ''}${meta ? ` (${meta})` : ''}`;
}

function formatToolCall(call: ToolCall, stepNumber: Map<string, number>): string {
  const step = call.stepId ? stepNumber.get(call.stepId) : undefined;
  const lines = [`  ${step ? `[step ${step}] ` : ''}${call.server} › ${call.tool}: ${call.status}`, `    arguments: ${short(call.input ?? {})}`];
  if (call.error) lines.push(`    error: ${short(call.error)}`);
  else if (call.output !== null && call.output !== undefined) lines.push(`    output: ${short(call.output)}`);
  const evaluation = call.evaluation;
  if (evaluation) {
    const score = evaluation.selection ? `, selection score ${Math.round(evaluation.selection.score * 100)}%` : '';
    const problems = evaluation.problems.length > 0 ? `; ${evaluation.problems.map(problemText).join('; ')}` : '';
    lines.push(`    evaluation: arguments ${evaluation.arguments}${score}${problems}`);
  }
  // A tool's output is a server's text: no control sequence reaches the terminal.
  return withoutControls(`${lines.join('\n')}\n`);
}

/** "feedback: down (incomplete, too-slow; completeness 2/5): the comment". */
function formatFeedback(feedback: Feedback): string {
  const details = [feedback.categories.join(', '), feedback.completeness === null ? '' : `completeness ${feedback.completeness}/5`].filter(Boolean).join('; ');
  const rating = feedback.rating ?? 'no rating';
  return withoutControls(`feedback: ${rating}${details ? ` (${details})` : ''}${feedback.comment ? `: ${short(feedback.comment)}` : ''}`);
}

/** One line of at most SHORT characters: whitespace folded, the rest cut with an ellipsis. */
function short(value: unknown): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(/\s+/g, ' ').trim();
  return text.length > SHORT ? `${text.slice(0, SHORT - 1)}…` : text;
}
