import { originLabel, type ExportedChat, type ExportedMessage, type ExportedToolCall } from '../../../shared/index.js';

/**
 * A Markdown transcript of a chat's active path (the conversation the user sees), for reading and sharing. What a
 * model or a user wrote is kept as Markdown but cannot break the transcript: raw HTML is escaped outside code, and a
 * code fence left open is closed. Tool calls are collapsible <details> with their arguments and output in fences.
 */
export function chatMarkdown(chat: ExportedChat): string {
  const lines: string[] = [`# ${inline(chat.title)}`, ''];
  lines.push(`*Exported from Coda Agent. Model: ${inline(`${chat.settings.provider}/${chat.settings.model}`)}. Started ${iso(chat.createdAt)}.*`, '');
  for (const message of activePath(chat)) {
    if (message.role === 'system' || message.role === 'tool') continue;
    lines.push(`## ${heading(message)}`, '');
    if (message.origin) lines.push(`*${inline(originLabel(message.origin))} · ${iso(message.origin.mergedAt)}*`, '');
    for (const call of message.toolCalls) lines.push(...toolCallDetails(call), '');
    const body = safeMarkdown(message.text).trim();
    if (body) lines.push(body, '');
    const facts = answerFacts(message);
    if (facts) lines.push(`*${facts}*`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** From the root to the active leaf; with no (or an unknown) active leaf, to the newest live message. */
export function activePath(chat: ExportedChat): ExportedMessage[] {
  const byId = new Map(chat.messages.map((m) => [m.id, m]));
  const live = chat.messages.filter((m) => m.deletedAt === null);
  let leaf =
    (chat.activeLeafId && byId.get(chat.activeLeafId)) ||
    live.reduce<ExportedMessage | undefined>((a, m) => (!a || m.createdAt >= a.createdAt ? m : a), undefined);
  const path: ExportedMessage[] = [];
  const seen = new Set<string>();
  while (leaf && !seen.has(leaf.id)) {
    seen.add(leaf.id);
    path.push(leaf);
    leaf = leaf.parentId ? byId.get(leaf.parentId) : undefined;
  }
  return path.reverse();
}

function heading(message: ExportedMessage): string {
  if (message.role === 'user') return 'You';
  return message.model ? `Assistant (${inline(message.provider ? `${message.provider}/${message.model}` : message.model)})` : 'Assistant';
}

function answerFacts(message: ExportedMessage): string {
  if (message.role !== 'assistant') return '';
  const parts: string[] = [];
  const { inputTokens, outputTokens, source } = message.usage;
  if (inputTokens !== null || outputTokens !== null) parts.push(`${source === 'estimate' ? '≈' : ''}${inputTokens ?? 0} in / ${outputTokens ?? 0} out tokens`);
  if (message.costUsd !== null) parts.push(`$${message.costUsd.toFixed(6)}`);
  if (message.status !== 'complete') parts.push(message.status);
  if (message.feedback?.rating) parts.push(`rated ${message.feedback.rating}`);
  return parts.join(' · ');
}

function toolCallDetails(call: ExportedToolCall): string[] {
  const name = call.server ? `${call.server} › ${call.tool}` : call.tool;
  const lines = [
    '<details>',
    `<summary>Tool call: ${escapeHtml(name)} (${call.status})</summary>`,
    '',
    '**Arguments**',
    '',
    ...fenced(json(call.input), 'json'),
  ];
  if (call.output !== null) lines.push('', '**Output**', '', ...fenced(json(call.output), 'json'));
  if (call.error) lines.push('', '**Error**', '', ...fenced(call.error, 'text'));
  lines.push('', '</details>');
  return lines;
}

function json(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null');
}

/** A fence longer than any run of backticks in the text, so nothing in it can close the block early. */
export function fenced(text: string, lang: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, text, fence];
}

/** Text for a heading or a line of its own: no line breaks, no HTML, no Markdown that changes its meaning. */
function inline(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' ')).replace(/([\\`*_[\]#|])/g, '\\$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Markdown as written, made safe to embed: outside code, `<` is escaped (a `>` alone starts no HTML, so quotes keep working) (no raw HTML: a `</details>` or a <script>
 * stays text), and a fence the text opens but never closes is closed, so it cannot swallow the rest of the transcript.
 */
export function safeMarkdown(text: string): string {
  const out: string[] = [];
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const fence = FENCE.exec(line)?.[1];
    if (open) {
      out.push(line);
      if (fence && fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
      continue;
    }
    if (fence) {
      open = fence;
      out.push(line);
      continue;
    }
    // Inline code spans keep their text; everything else has its HTML escaped.
    out.push(
      line
        .split(/(`+[^`]*`+)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replace(/&(?=[a-zA-Z#])/g, '&amp;').replace(/</g, '&lt;')))
        .join(''),
    );
  }
  if (open) out.push(open);
  return out.join('\n');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
