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

const items = async () => (await fixture('openwebui.json')) as Record<string, unknown>[];

describe('Open WebUI chat export', { timeout: 60_000 }, () => {
  it('keeps the history tree, currentId, models, reasoning and tool calls, and a history-less chat in order', async () => {
    const [rust, old] = convert(openwebuiFormat, await items());
    expect(rust).toMatchObject({ title: 'Rust lifetimes', createdAt: 1_720_000_000_000, lastActivityAt: 1_720_000_110_000 });
    // An Ollama tag: the chat continues on Ollama with that model.
    expect(rust!.settings).toMatchObject({ provider: 'ollama', model: 'llama3.1:8b' });
    const question = message(rust!, 'Explain lifetimes');
    const first = message(rust!, 'Lifetimes tell the compiler');
    const other = message(rust!, 'References carry a scope');
    expect(first).toMatchObject({ parentId: question.id, model: 'llama3.1:8b', provider: 'ollama', reasoning: 'They want brevity.\nOne sentence.' });
    expect(first.text).toBe('Lifetimes tell the compiler how long references stay valid.');
    expect(other).toMatchObject({ parentId: question.id, model: 'gpt-4o', provider: 'openai', createdAt: 1_720_000_050_000 });
    const weather = message(rust!, "What's the weather");
    expect(weather.text).toBe("What's the weather in Paris?\n\n[file: notes.md]");
    const answer = message(rust!, 'It is 18C');
    expect(answer.text).toBe('It is 18C and raining.');
    expect(answer.toolCalls).toEqual([
      expect.objectContaining({ tool: 'get_weather', providerCallId: 'call_1', input: { city: 'Paris' }, output: 'Paris: 18C, rain' }),
    ]);
    expect(rust!.activeLeafId).toBe(answer.id);
    expect(activePath(rust!)).toHaveLength(4);

    expect(old!.settings).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    expect(activePath(old!)).toEqual(['user: Hi', 'assistant: Hello! How can I help?']);

    const back = await storeAndReadBack(t, [rust!, old!]);
    expect(back.map(sortedChat)).toEqual([rust!, old!].map(sortedChat));
    const tree = await t.client.call('sessions.tree', { sessionId: rust!.id });
    expect(tree.nodes.filter((n) => n.parentId === question.id).map((n) => n.model)).toEqual(['llama3.1:8b', 'gpt-4o']);
  });

  it('is recognised from its start and the others are not', async () => {
    const text = await fixtureText('openwebui.json');
    expect(openwebuiFormat.sniff(text.slice(0, 600))).toBe(true);
    for (const other of [chatgptFormat, claudeFormat, librechatFormat]) expect(other.sniff(text)).toBe(false);
    for (const name of ['chatgpt.json', 'claude.json', 'librechat.json']) expect(openwebuiFormat.sniff(await fixtureText(name))).toBe(false);
  });

  it('refuses broken items with the item and the field', async () => {
    const [rust] = await items();
    const history = () => structuredClone((rust!.chat as { history: { messages: Record<string, Record<string, unknown>> } }).history);
    const withHistory = (h: unknown) => ({ ...rust, chat: { ...(rust!.chat as object), history: h } });
    expect(() => openwebuiFormat.toChats({ ...rust, chat: 'none' }, 1)).toThrow(/conversation 1 \(id 9f1e2d3c-\S+, "Rust lifetimes"\): field chat: /);
    const numeric = history();
    numeric.messages.w3!.content = 7;
    expect(() => openwebuiFormat.toChats(withHistory(numeric), 0)).toThrow(/field chat\.history\.messages\.w3\.content: /);
    const orphan = history();
    orphan.messages.w3!.parentId = 'nope';
    expect(() => openwebuiFormat.toChats(withHistory(orphan), 0)).toThrow(/field chat\.history\.messages\.w3\.parentId: the parent nope of message w3/);
    const cycle = history();
    cycle.messages.w1!.parentId = 'w4';
    expect(() => openwebuiFormat.toChats(withHistory(cycle), 0)).toThrow(/parentId: the parents of message w1 form a cycle/);
  });
});
