import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir, tempDir } from '../../../tests/helpers/core.js';
import { DEFAULT_SETTINGS } from '../core.js';
import { MessagesRepository } from '../store/repositories/messages.js';
import { SessionsRepository } from '../store/repositories/sessions.js';
import { Store } from '../store/store.js';
import type { Message } from '../../../shared/index.js';
import { HISTORY_LIMIT, HISTORY_MAX, furtherLimit, readHistory } from './history.js';
import { completeAnswer } from '../../../tests/helpers/seed.js';

// How far back a request reads: the newest 200 messages, and older ones while the model's budget has room.
let store: Store;
let remove: () => Promise<void>;
let tip: Message;
let messages: MessagesRepository;
const reads: number[] = [];
const read = (leafId: string, limit: number) => {
  reads.push(limit);
  return messages.historyTurns(leafId, limit);
};

beforeAll(async () => {
  const dir = await tempDir();
  remove = dir.remove;
  store = await Store.open(dir.dir, migrationsDir);
  messages = new MessagesRepository(store);
  const session = await new SessionsRepository(store).create({ title: 'Many short messages', titleSource: 'user', settings: DEFAULT_SETTINGS });
  let parent: Message | null = null;
  const meta = { provider: 'openai', model: 'gpt-4o', estimatedInputTokens: null, traceId: null };
  for (let i = 0; i < 300; i++) {
    const { assistant } = await messages.addExchange(session.id, parent, `Question ${i}: how about this?`, meta);
    parent = await messages.finish(assistant.id, completeAnswer(`Answer ${i}: like that.`, meta));
  }
  tip = parent!;
}, 60_000);
afterAll(async () => {
  await store.close();
  await remove();
});

describe('history window', () => {
  it('reads older messages of a chat of short messages when the budget has room, and only then', async () => {
    reads.length = 0;
    const whole = await readHistory(read, tip.id, 111_616);
    expect(whole).toHaveLength(600);
    expect(whole[0]!.text).toBe('Question 0: how about this?');
    expect(reads).toEqual([HISTORY_LIMIT, HISTORY_MAX]);

    // A small budget is filled by the newest 200 already: nothing more is read.
    reads.length = 0;
    const newest = await readHistory(read, tip.id, 1_000);
    expect(newest).toHaveLength(HISTORY_LIMIT);
    expect(reads).toEqual([HISTORY_LIMIT]);
  });

  it('reads no further than the rest of the budget needs, nor than HISTORY_MAX', () => {
    const page = (n: number, chars: number) =>
      Array.from({ length: n }, (_, i) => ({ id: String(i), role: 'user' as const, status: 'complete', text: 'x'.repeat(chars) }));
    // The whole path was read.
    expect(furtherLimit(page(150, 40), 100_000)).toBeNull();
    // 200 messages of 10 tokens: 2,000 tokens; 3,000 more fit, 300 messages, 375 with the margin.
    expect(furtherLimit(page(200, 40), 5_000)).toBe(575);
    expect(furtherLimit(page(200, 40), 1_000_000)).toBe(HISTORY_MAX);
    expect(furtherLimit(page(200, 4_000), 100_000)).toBeNull();
  });
});
