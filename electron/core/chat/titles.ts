import type { SessionSettings } from '../../../shared/index.js';
import type { ProviderRegistry } from '../providers/registry.js';

const TITLE_TIMEOUT_MS = 15_000;
const MAX_TITLE_LENGTH = 80;

/** Asks the session's model for a short title; falls back to the first words of the question. */
export async function generateTitle(providers: ProviderRegistry, settings: SessionSettings, question: string, answer: string): Promise<string> {
  try {
    const provider = providers.get(settings.provider);
    const raw = await provider.complete({
      model: settings.model,
      temperature: null,
      signal: AbortSignal.timeout(TITLE_TIMEOUT_MS),
      messages: [
        { role: 'system', content: 'Write a title of 3 to 6 words for this conversation. Reply with the title only, no quotes, no final period.' },
        { role: 'user', content: `Question: ${question.slice(0, 2000)}\n\nAnswer: ${answer.slice(0, 2000)}` },
      ],
    });
    const title = cleanTitle(raw);
    if (title) return title;
  } catch {
    // No provider, a timeout or an error: the first words will do.
  }
  return titleFromText(question);
}

export function cleanTitle(raw: string): string {
  const line = raw.split('\n').find((l) => l.trim()) ?? '';
  const cleaned = line
    .replace(/^(title\s*:\s*)/i, '')
    .replace(/^["'“‘#*\s]+|["'”’*.\s]+$/g, '')
    .trim();
  return truncate(cleaned, MAX_TITLE_LENGTH);
}

export function titleFromText(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 8).join(' ');
  return truncate(words, 60) || 'New chat';
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
