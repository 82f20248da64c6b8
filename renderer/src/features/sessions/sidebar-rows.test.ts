import { describe, expect, it } from 'vitest';
import type { Session } from '../../../../shared/index.js';
import { dateGroup, sidebarRows } from './sidebar-rows.js';

const now = new Date(2026, 11, 3, 10, 0).getTime();
const daysAgo = (days: number, hour = 9) => new Date(2026, 11, 3 - days, hour, 0).getTime();

function chat(title: string, updatedAt: number, pinnedAt: number | null = null): Session {
  return {
    id: `00000000-0000-7000-8000-${String(updatedAt).padStart(12, '0').slice(-12)}`,
    title,
    titleSource: 'user',
    settings: {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      systemPrompt: '',
      temperature: null,
      topP: null,
      maxOutputTokens: null,
      thinking: null,
      enabledTools: ['*'],
      maxSteps: 10,
      fallbacks: [],
    },
    contextSummary: null,
    activeLeafId: null,
    messageCount: 2,
    pinnedAt,
    createdAt: updatedAt,
    updatedAt,
    deletedAt: null,
  };
}

describe('the sidebar groups chats by date', () => {
  it('names today, yesterday, the last 7 and 30 days, then months (with the year once it is another)', () => {
    expect(dateGroup(daysAgo(0, 1), now)).toBe('Today');
    expect(dateGroup(daysAgo(1, 23), now)).toBe('Yesterday');
    expect(dateGroup(daysAgo(7), now)).toBe('Previous 7 days');
    expect(dateGroup(daysAgo(8), now)).toBe('Previous 30 days');
    expect(dateGroup(daysAgo(30), now)).toBe('Previous 30 days');
    expect(dateGroup(new Date(2026, 9, 15).getTime(), now)).toBe('October');
    expect(dateGroup(new Date(2025, 11, 24).getTime(), now)).toBe('December 2025');
  });

  it('puts pinned chats first, most recently pinned on top, and the rest under their headings, filtered by title', () => {
    const sessions = [
      chat('Old notes', new Date(2026, 6, 1).getTime()),
      chat('Tax return', daysAgo(0), daysAgo(3)),
      chat('Holiday plans', daysAgo(1)),
      chat('Pinned long ago', daysAgo(40), daysAgo(20)),
      chat('Recipe ideas', daysAgo(0, 8)),
    ];
    const lines = sidebarRows(sessions, now).map((r) => (r.kind === 'heading' ? `# ${r.label}` : r.session.title));
    expect(lines).toEqual(['# Pinned', 'Tax return', 'Pinned long ago', '# Today', 'Recipe ideas', '# Yesterday', 'Holiday plans', '# July', 'Old notes']);
    const filtered = sidebarRows(sessions, now, 'TAX').map((r) => (r.kind === 'heading' ? `# ${r.label}` : r.session.title));
    expect(filtered).toEqual(['# Pinned', 'Tax return']);
  });
});
