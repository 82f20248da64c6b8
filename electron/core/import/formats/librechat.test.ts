import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../../tests/helpers/core.js';
import { activePath, convert, fixture, fixtureText, message, sortedChat, storeAndReadBack } from '../../../../tests/helpers/foreign-import.js';
import { chatgptFormat } from './chatgpt.js';
import { claudeFormat } from './claude.js';
import { librechatFormat } from './librechat.js';
import { openwebuiFormat } from './openwebui.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.dispose());

describe('LibreChat conversation export', { timeout: 60_000 }, () => {
  it('maps the flat list with branches: parents, siblings, the newest leaf, reasoning and tool calls', async () => {
    const [chat] = convert(librechatFormat, [await fixture('librechat.json')]);
    expect(chat).toMatchObject({ title: 'SQL window functions', createdAt: Date.parse('2024-06-01T09:00:00Z') });
    expect(chat!.settings).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    const question = message(chat!, 'How do I rank');
    const first = message(chat!, 'Use ROW_NUMBER()');
    const retry = message(chat!, 'Try RANK()');
    expect(question).toMatchObject({ role: 'user', parentId: null, depth: 0 });
    expect(first).toMatchObject({ parentId: question.id, role: 'assistant', provider: 'openai', model: 'gpt-4o', reasoning: 'They want per-group ranking.' });
    expect(first.toolCalls).toEqual([expect.objectContaining({ tool: 'run_sql', providerCallId: 'call_9', input: { sql: 'select 1' }, output: '1 row' })]);
    expect(retry).toMatchObject({ parentId: question.id, model: 'gpt-4o-mini' });
    expect(message(chat!, 'DENSE_RANK()').depth).toBe(3);
    // The newest leaf (LibreChat shows the latest branch): the retry at 09:03.
    expect(chat!.activeLeafId).toBe(retry.id);

    const back = await storeAndReadBack(t, [chat!]);
    expect(back.map(sortedChat)).toEqual([chat!].map(sortedChat));
  });

  it('maps the recursive form by its nesting', async () => {
    const [chat] = convert(librechatFormat, [await fixture('librechat-recursive.json')]);
    expect(chat!.settings).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    const primes = message(chat!, '2, 3 and 5.');
    expect(chat!.messages.filter((m) => m.parentId === primes.id).map((m) => m.text)).toEqual(['Bigger ones?', 'Even ones?']);
    expect(activePath(chat!)).toEqual(['user: Name three prime numbers', 'assistant: 2, 3 and 5.', 'user: Even ones?', 'assistant: Only 2 is even.']);
    expect(message(chat!, 'Only 2').provider).toBe('anthropic');
    const back = await storeAndReadBack(t, [chat!]);
    const tree = await t.client.call('sessions.tree', { sessionId: back[0]!.id });
    expect(tree.nodes).toHaveLength(6);
  });

  it('is recognised from its start and the others are not', async () => {
    for (const name of ['librechat.json', 'librechat-recursive.json']) {
      const text = await fixtureText(name);
      expect(librechatFormat.sniff(text.slice(0, 700))).toBe(true);
      for (const other of [chatgptFormat, claudeFormat, openwebuiFormat]) expect(other.sniff(text)).toBe(false);
    }
    for (const name of ['chatgpt.json', 'claude.json', 'openwebui.json']) expect(librechatFormat.sniff(await fixtureText(name))).toBe(false);
    expect(librechatFormat.sniff('{"format":"coda-export","version":1,"exportedAt":1,"chats":[{"conversationId":"x","messages":[]}]}')).toBe(false);
  });

  it('refuses broken items with the item and the field', async () => {
    const flat = (await fixture('librechat.json')) as { messages: Record<string, unknown>[] };
    const withMessages = (change: (m: Record<string, unknown>[]) => void) => {
      const copy = structuredClone(flat);
      change(copy.messages);
      return copy;
    };
    expect(() => librechatFormat.toChats({ ...flat, conversationId: 5 }, 0)).toThrow(/conversation 0 \("SQL window functions"\): field conversationId: /);
    expect(() => librechatFormat.toChats({ ...flat, messages: undefined }, 0)).toThrow(/field messages: the conversation has no "messages" list/);
    expect(() =>
      librechatFormat.toChats(
        withMessages((m) => (m[1]!.text = ['not', 'text'])),
        0,
      ),
    ).toThrow(/conversation 0 \(id c0ffee00-\S+, "SQL window functions"\), message at messages\.1: field text: /);
    expect(() =>
      librechatFormat.toChats(
        withMessages((m) => (m[3]!.parentMessageId = 'lost')),
        0,
      ),
    ).toThrow(/field messages\.3\.parentMessageId: the parent lost of message 11111111-0000-4000-8000-000000000004 is not in the conversation/);
    expect(() =>
      librechatFormat.toChats(
        withMessages((m) => (m[0]!.parentMessageId = '11111111-0000-4000-8000-000000000005')),
        0,
      ),
    ).toThrow(/the parents of message 11111111-0000-4000-8000-000000000001 form a cycle/);
  });
});
