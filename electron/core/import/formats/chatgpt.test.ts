import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../../tests/helpers/core.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../../shared/index.js';
import { ImportWriter } from '../../store/repositories/import-writer.js';
import { importCodaText } from '../import-file.js';
import { activePath, convert, fixture, fixtureText, message, sortedChat, storeAndReadBack } from '../../../../tests/helpers/foreign-import.js';
import { chatgptFormat } from './chatgpt.js';
import { makeChatGptConversation } from './chatgpt-sample.js';
import { claudeFormat } from './claude.js';
import { librechatFormat } from './librechat.js';
import { openwebuiFormat } from './openwebui.js';

let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => t.dispose());

const items = async () => (await fixture('chatgpt.json')) as Record<string, unknown>[];
const clone = <T>(value: T): T => structuredClone(value);

describe('ChatGPT conversations.json', { timeout: 60_000 }, () => {
  it('keeps every branch, the current node as the active leaf, times, models, tool calls and reasoning, and stores them', async () => {
    const [chat, second] = convert(chatgptFormat, await items());
    expect(chat!.title).toBe('Plotting sales data');
    expect(chat!.settings).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    expect(chat!.createdAt).toBe(1717000000123);
    // The empty root and the hidden system message are gone; the question is the first message.
    const question = message(chat!, '[image: sales.png]');
    expect(question).toMatchObject({ role: 'user', parentId: null, depth: 0, createdAt: 1717000010500 });
    expect(question.text.split('\n\n')).toEqual(['[image: sales.png]', 'Can you plot these sales numbers?', '[attachment: sales.csv]']);
    // The code call and its output are one tool call of the answer that followed them.
    const answer = message(chat!, 'The total is 48,210');
    expect(answer).toMatchObject({ role: 'assistant', parentId: question.id, depth: 1, provider: 'openai', model: 'gpt-4o' });
    expect(answer.toolCalls).toHaveLength(1);
    expect(answer.toolCalls[0]).toMatchObject({ tool: 'python', output: '48210', status: 'success' });
    expect(answer.toolCalls[0]!.input).toMatchObject({ language: 'python', code: expect.stringContaining("read_csv('/mnt/data/sales.csv')") });
    expect(answer.content.map((p) => p.type)).toEqual(['tool-call', 'text']);
    // The edited question is a sibling branch of the first follow-up.
    const why = message(chat!, 'Why did March drop?');
    const summarize = message(chat!, 'Summarize the trend');
    expect(why.parentId).toBe(answer.id);
    expect(summarize.parentId).toBe(answer.id);
    // Thoughts and the recap are the reasoning of the o3 answer.
    const march = message(chat!, 'March had a holiday week');
    expect(march).toMatchObject({ parentId: why.id, depth: 3, model: 'o3', createdAt: 1717000106500 });
    expect(march.reasoning).toContain('March has 20% fewer orders than February.');
    expect(march.content[0]).toMatchObject({ type: 'reasoning' });
    expect(message(chat!, 'Sales grew').parentId).toBe(summarize.id);
    expect(chat!.activeLeafId).toBe(march.id);
    expect(activePath(chat!)).toEqual([
      'user: [image: sales.png]\n\nCan ',
      'assistant: The total is 48,210. Her',
      'user: Why did March drop?',
      'assistant: March had a holiday week',
    ]);
    expect(chat!.messages).toHaveLength(6);

    // The second: no title, a message without a time (its parent's), a hidden current node (its visible parent).
    expect(second!.title).toBe('Untitled chat');
    expect(second!.titleSource).toBe('default');
    expect(second!.settings).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
    expect(second!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(second!.messages[0]!.createdAt).toBe(1717005000000);
    expect(second!.activeLeafId).toBe(message(second!, 'A monoid').id);
    // A default the API does not have ("auto") gives way to the model the answers used.
    const [auto] = chatgptFormat.toChats({ ...(await items())[0], default_model_slug: 'auto' }, 0);
    expect(auto!.settings).toMatchObject({ provider: 'openai', model: 'gpt-4o' });

    const back = await storeAndReadBack(t, [chat!, second!]);
    expect(back.map(sortedChat)).toEqual([chat!, second!].map(sortedChat));
    const tree = await t.client.call('sessions.tree', { sessionId: chat!.id });
    expect(tree.activeLeafId).toBe(march.id);
    expect(tree.nodes.filter((n) => n.parentId === answer.id).map((n) => n.excerpt)).toEqual(['Why did March drop?', 'Summarize the trend instead.']);
  });

  it('gives the same ids for the same file, so a second import meets the conflict choice', async () => {
    const once = convert(chatgptFormat, await items());
    const twice = convert(chatgptFormat, await items());
    expect(twice).toEqual(once);
    // Through the import's conflict handling: the chat is already here (stored by the first test), so it is skipped,
    // or comes in as a copy with new ids.
    const text = JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: 0, app: { name: 'Coda Agent', version: '0' }, chats: twice });
    const writer = new ImportWriter(t.core.store);
    const skipped = await importCodaText({ text, writer, onConflict: 'skip' });
    expect(skipped.chats.map((c) => c.outcome)).toEqual(['skipped', 'skipped']);
    const copied = await importCodaText({ text, writer, onConflict: 'copy' });
    expect(copied.chats.map((c) => c.outcome)).toEqual(['copied', 'copied']);
    // The id's time is the record's.
    expect(once[0]!.messages[0]!.id.slice(0, 13).replace('-', '')).toBe((1717000010500).toString(16).padStart(12, '0'));
  });

  it('is recognised from the first 64 KB, cut anywhere, and the others are not', async () => {
    const text = await fixtureText('chatgpt.json');
    expect(chatgptFormat.sniff(text.slice(0, 300))).toBe(true);
    expect(chatgptFormat.sniff(JSON.stringify([makeChatGptConversation(1, { messages: 400 })]).slice(0, 65536))).toBe(true);
    for (const other of [claudeFormat, openwebuiFormat, librechatFormat]) expect(other.sniff(text)).toBe(false);
    expect(chatgptFormat.sniff('{"format":"coda-export","version":1,"chats":[]}')).toBe(false);
    for (const name of ['claude.json', 'openwebui.json', 'librechat.json', 'librechat-recursive.json']) {
      expect(chatgptFormat.sniff(await fixtureText(name))).toBe(false);
    }
  });

  it('refuses broken items with the item and the field', async () => {
    const [good] = await items();
    const noMapping = clone(good!);
    delete noMapping.mapping;
    expect(() => chatgptFormat.toChats(noMapping, 4)).toThrow(/conversation 4 \(id 6650f0a2-.*"Plotting sales data"\): field mapping: /);

    const mapping = () => clone(good!.mapping) as Record<string, { parent: unknown; message: Record<string, unknown> | null }>;
    const cycle = mapping();
    cycle['aaa1b2c3-root']!.parent = 'a4';
    expect(() => chatgptFormat.toChats({ ...good, mapping: cycle }, 0)).toThrow(
      /conversation 0 .*field mapping\.\S+\.parent: the parents of message \S+ form a cycle/,
    );

    const orphan = mapping();
    orphan.a4!.parent = 'gone';
    expect(() => chatgptFormat.toChats({ ...good, mapping: orphan }, 0)).toThrow(
      /field mapping\.a4\.parent: the parent gone of message a4 is not in the conversation/,
    );

    const numberText = mapping();
    (numberText.a4!.message!.content as { parts: unknown[] }).parts = [42];
    expect(() => chatgptFormat.toChats({ ...good, mapping: numberText }, 2)).toThrow(/conversation 2 .*field mapping\.a4\.message\.content\.parts\.0: /);

    expect(() => chatgptFormat.toChats({ ...good, current_node: 'nowhere' }, 0)).toThrow(/field current_node: the message nowhere is not in the conversation/);
    expect(() => chatgptFormat.toChats('text', 7)).toThrow(/conversation 7: field \(the item itself\)/);

    // A time no export could have is treated as absent: the message takes its parent's.
    const farFuture = mapping();
    farFuture.a4!.message!.create_time = 1e300;
    const [chat] = chatgptFormat.toChats({ ...good, mapping: farFuture }, 0);
    expect(message(chat!, 'Sales grew').createdAt).toBe(message(chat!, 'Summarize').createdAt);
  });

  it('takes 10^5 siblings and a 20,000-long chain in linear time', { timeout: 180_000 }, () => {
    const wide: Record<string, unknown> = { r: { message: null, parent: null } };
    const message = (text: string) => ({ author: { role: 'user' }, create_time: 1, content: { content_type: 'text', parts: [text] } });
    for (let i = 0; i < 100_000; i++) wide[`n${i}`] = { message: message(`sibling ${i}`), parent: 'r' };
    const started = Date.now();
    const [chat] = chatgptFormat.toChats({ conversation_id: 'wide', title: 'Wide', mapping: wide }, 0);
    expect(chat!.messages).toHaveLength(100_000);
    const long: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) long[`n${i}`] = { message: message(`step ${i}`), parent: i === 0 ? null : `n${i - 1}` };
    const [deep] = chatgptFormat.toChats({ conversation_id: 'long', mapping: long, current_node: 'n19999' }, 0);
    expect(deep!.messages.at(-1)!.depth).toBe(19_999);
    // Quadratic work would take hours here; linear takes seconds even on a loaded machine.
    expect(Date.now() - started).toBeLessThan(90_000);
  });

  it('the benchmark sample is a valid conversation with branches and tool calls', () => {
    const [chat] = convert(chatgptFormat, [makeChatGptConversation(3, { messages: 40, branchEvery: 4 })]);
    const siblings = chat!.messages.filter((m, _, all) => all.filter((o) => o.parentId === m.parentId).length > 1);
    expect(siblings.length).toBeGreaterThan(0);
    expect(chat!.messages.some((m) => m.toolCalls.length === 1)).toBe(true);
    expect(activePath(chat!).at(-1)).toMatch(/^assistant: Answer /);
  });
});
