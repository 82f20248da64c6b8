import type { Message, Session } from '../../../shared/index.js';

export function writeJsonLine(out: NodeJS.WritableStream, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}

export function messageText(message: Message): string {
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function formatSessionLine(session: Session): string {
  const when = new Date(session.updatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return `${session.id}  ${when}  ${String(session.messageCount).padStart(4)} msg  ${session.title}`;
}

/** The provider and model that actually answered (after a fallback, not the chat's own). */
export function answeredBy(message: Message): string {
  return message.provider && message.model ? `${message.provider}/${message.model}` : '';
}

export function formatUsage(message: Message): string {
  const parts: string[] = [];
  // An estimate (a stopped answer the provider never reported) is marked as one, as the app marks it with ≈.
  const about = message.usage?.source === 'estimate' ? '≈' : '';
  if (message.usage) parts.push(`${about}${message.usage.inputTokens} in / ${message.usage.outputTokens} out tokens${about ? ' (estimated)' : ''}`);
  if (message.costUsd !== null) parts.push(`${about}$${message.costUsd.toFixed(6)}`);
  const { startedAt, finishedAt } = message.timing;
  if (startedAt !== null && finishedAt !== null) parts.push(`${((finishedAt - startedAt) / 1000).toFixed(1)} s`);
  return parts.join(', ');
}
