import { afterEach, describe, expect, it } from 'vitest';
import { SNIPPET_CLOSE, SNIPPET_OPEN, type Message } from '../../../../shared/index.js';
import { migrationsDir, tempDir } from '../../../../tests/helpers/core.js';
import { DEFAULT_SETTINGS } from '../../core.js';
import { newId } from '../../util/ids.js';
import { messages, toolCalls } from '../schema.js';
import { Store } from '../store.js';
import { MessagesRepository } from './messages.js';
import { SessionsRepository } from './sessions.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const DAY = 86_400_000;

async function seeded() {
  const { dir, remove } = await tempDir();
  const store = await Store.open(dir, migrationsDir);
  cleanups.push(remove, () => store.close());
  const sessions = new SessionsRepository(store);
  let depth = 0;
  let parentId: string | null = null;
  /** Adds a finished message to a chain in `sessionId` (each one answers the one before). */
  const add = async (sessionId: string, role: Message['role'], text: string, createdAt: number, model: string | null = null) => {
    const id = newId();
    await store.write((db) =>
      db.insert(messages).values({
        id,
        sessionId,
        parentId,
        depth,
        role,
        content: [{ type: 'text', text }],
        text,
        model,
        status: 'complete',
        createdAt,
        updatedAt: String(createdAt),
      }),
    );
    parentId = id;
    depth++;
    return id;
  };
  const startChat = async (title: string) => {
    parentId = null;
    depth = 0;
    return (await sessions.create({ title, titleSource: 'user', settings: DEFAULT_SETTINGS })).id;
  };
  return { store, sessions, repo: new MessagesRepository(store), add, startChat };
}

describe('message search', () => {
  it('ranks the best match first across the whole history, even an old one among many newer matches', async () => {
    const { repo, add, startChat } = await seeded();
    const chat = await startChat('old notes');
    const best = await add(chat, 'user', 'file file file file', 1 * DAY);
    // 1,200 newer messages that mention the common word once, in a lot of other words.
    const other = await startChat('busy');
    const busy: string[] = [];
    for (let i = 0; i < 1200; i++) {
      busy[i] = await add(other, 'assistant', `message ${i} talks about many things and mentions a file once among them all`, 10 * DAY + i, 'gpt-4.1-mini');
    }
    const hits = await repo.search('file', 50);
    expect(hits).toHaveLength(50);
    expect(hits[0]!.messageId).toBe(best);
    expect(hits[0]!.sessionTitle).toBe('old notes');
    expect(hits[0]!.depth).toBe(0);
    // A filter that only a low-ranked match passes still finds it (beyond the candidates ranked first).
    expect((await repo.search('file', 1, { role: 'assistant', from: 10 * DAY, to: 10 * DAY + 1 })).map((h) => h.messageId)).toEqual([busy[0]]);
  });

  it('wraps the matched words of a snippet in the markers, around the match in a long message', async () => {
    const { repo, add, startChat } = await seeded();
    const chat = await startChat('birds');
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    words[40] = 'penguins';
    await add(chat, 'user', `${words.join(' ')} <script>alert(1)</script>`, DAY);
    const [hit] = await repo.search('penguin', 10);
    expect(hit!.snippet).toContain(`${SNIPPET_OPEN}penguins${SNIPPET_CLOSE}`);
    expect(hit!.snippet.startsWith('…')).toBe(true);
    expect(hit!.snippet).not.toContain('word0 ');
  });

  it('narrows by chat, role, date range, model and tool calls', async () => {
    const { store, repo, add, startChat } = await seeded();
    const a = await startChat('a');
    const aUser = await add(a, 'user', 'deploy the server', 1 * DAY);
    const aAnswer = await add(a, 'assistant', 'deploy done with the script', 2 * DAY, 'gpt-4.1-mini');
    const b = await startChat('b');
    const bUser = await add(b, 'user', 'how do I deploy', 3 * DAY);
    const bAnswer = await add(b, 'assistant', 'deploy with rsync', 4 * DAY, 'claude-sonnet-4');
    await store.write((db) =>
      db.insert(toolCalls).values({ id: newId(), messageId: bAnswer, ordinal: 0, tool: 'shell', status: 'success', createdAt: 4 * DAY, updatedAt: '1' }),
    );
    const ids = async (filters: Parameters<typeof repo.search>[2]) => (await repo.search('deploy', 50, filters)).map((h) => h.messageId).sort();

    expect(await ids({})).toEqual([aUser, aAnswer, bUser, bAnswer].sort());
    expect(await ids({ sessionId: a })).toEqual([aUser, aAnswer].sort());
    expect(await ids({ role: 'assistant' })).toEqual([aAnswer, bAnswer].sort());
    expect(await ids({ from: 2 * DAY, to: 4 * DAY })).toEqual([aAnswer, bUser].sort());
    expect(await ids({ model: 'claude-sonnet-4' })).toEqual([bAnswer]);
    expect(await ids({ hasToolCalls: true })).toEqual([bAnswer]);
    expect(await ids({ hasToolCalls: false, sessionId: b })).toEqual([bUser]);
    expect(await ids({ role: 'user', model: 'claude-sonnet-4' })).toEqual([]);
  });
});
