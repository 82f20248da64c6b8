import { createHash } from 'node:crypto';
import { originLabel, type ExportedChat, type ExportedMessage, type ExportedToolCall } from '../../../shared/index.js';
import { activePath } from './markdown.js';

/*
 * A self-contained, read-only HTML page of chats' active paths. Nothing a model or user wrote is ever markup: every
 * text is escaped and shown as preformatted text. No scripts, no external resources: the Content-Security-Policy
 * allows only the page's own stylesheet (by its hash), so even a mistake in escaping could not run or load anything.
 */

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1f23;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e7ea;background:#17181b}details,.msg{border-color:#30333a}}
h1{font-size:1.4rem}.meta{color:#6b7280;font-size:.85rem}.msg{border-top:1px solid #dcdfe5;padding:.75rem 0}
.role{font-weight:600}pre{white-space:pre-wrap;word-break:break-word;font:inherit;margin:.25rem 0}
details{border:1px solid #dcdfe5;border-radius:6px;padding:.25rem .5rem;margin:.25rem 0}
details pre{font:13px/1.4 ui-monospace,monospace}article+article{margin-top:3rem}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export function htmlHeader(): string {
  const csp = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${csp}">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n<title>Coda Agent export</title>\n<style>${STYLE}</style></head><body>\n`;
}

export function htmlFooter(): string {
  return '</body></html>\n';
}

export function chatHtml(chat: ExportedChat): string {
  const parts = [
    `<article><h1>${escapeHtml(chat.title)}</h1>`,
    `<p class="meta">${escapeHtml(`${chat.settings.provider}/${chat.settings.model}`)} · started ${new Date(chat.createdAt).toISOString()}</p>`,
  ];
  for (const message of activePath(chat)) {
    if (message.role === 'system' || message.role === 'tool') continue;
    parts.push(`<section class="msg"><div class="role">${escapeHtml(who(message))}</div>`);
    if (message.origin) parts.push(`<p class="meta">${escapeHtml(`${originLabel(message.origin)} · ${new Date(message.origin.mergedAt).toISOString()}`)}</p>`);
    for (const call of message.toolCalls) parts.push(toolCall(call));
    const text = message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
    if (text) parts.push(`<pre>${escapeHtml(text)}</pre>`);
    if (message.role === 'assistant' && (message.usage.inputTokens !== null || message.costUsd !== null)) {
      const cost = message.costUsd === null ? '' : ` · $${message.costUsd.toFixed(6)}`;
      parts.push(`<p class="meta">${message.usage.inputTokens ?? 0} in / ${message.usage.outputTokens ?? 0} out tokens${cost}</p>`);
    }
    parts.push('</section>');
  }
  parts.push('</article>\n');
  return parts.join('\n');
}

function who(message: ExportedMessage): string {
  if (message.role === 'user') return 'You';
  return message.model ? `Assistant (${message.provider ? `${message.provider}/` : ''}${message.model})` : 'Assistant';
}

function toolCall(call: ExportedToolCall): string {
  const name = call.server ? `${call.server} › ${call.tool}` : call.tool;
  const show = (value: unknown) => escapeHtml(typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null'));
  const output = call.output === null ? '' : `<div>Output</div><pre>${show(call.output)}</pre>`;
  const error = call.error ? `<div>Error</div><pre>${escapeHtml(call.error)}</pre>` : '';
  return `<details><summary>Tool call: ${escapeHtml(name)} (${call.status})</summary><div>Arguments</div><pre>${show(call.input)}</pre>${output}${error}</details>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
