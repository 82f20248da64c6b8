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

const items = async () => (await fixture('claude.json')) as Record<string, unknown>[];

describe('Claude conversations.json', { timeout: 60_000 }, () => {
  it('keeps branches by parent link, chains an older linear export, and keeps thinking, tools and attachments', async () => {
    const [lease, haiku] = convert(claudeFormat, await items());
    expect(lease).toMatchObject({ title: 'Reading the lease', createdAt: Date.parse('2025-03-01T10:00:00Z') });
    expect(lease!.settings).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    const question = message(lease!, 'What does clause 4 say?');
    expect(question).toMatchObject({ role: 'user', parentId: null, depth: 0, createdAt: Date.parse('2025-03-01T10:00:01Z') });
    // The named-only image is a note; the text file with its extracted text is an attachment of the question.
    expect(question.text).toBe('What does clause 4 say?\n\n[file: floorplan.png]');
    expect(lease!.attachments).toEqual([
      expect.objectContaining({
        messageId: question.id,
        name: 'lease.txt',
        mimeType: 'text/plain',
        size: 58,
        extractedText: '4. The tenant pays rent on the first day of each month.',
      }),
    ]);
    expect(question.content.at(-1)).toEqual({ type: 'attachment', attachmentId: lease!.attachments[0]!.id });

    const answer = message(lease!, 'Clause 4: rent is due on the 1st.');
    expect(answer).toMatchObject({
      role: 'assistant',
      parentId: question.id,
      provider: 'anthropic',
      reasoning: 'The user asks about clause 4; the attachment has it.',
    });
    expect(answer.toolCalls).toEqual([
      expect.objectContaining({
        tool: 'web_search',
        providerCallId: 'toolu_01',
        input: { query: 'late rent rules' },
        output: 'Late fees are capped at 5%.',
        status: 'success',
      }),
    ]);
    // The retried answer is a sibling. Without a current leaf in the export the newest leaf is shown: the retry
    // (10:05), not the deeper clause-5 branch (10:01).
    const retry = message(lease!, 'Rent is due monthly.');
    expect(retry.parentId).toBe(question.id);
    expect(message(lease!, 'Clause 5 covers').parentId).toBe(message(lease!, 'And clause 5?').id);
    expect(lease!.activeLeafId).toBe(retry.id);

    // The older export has no parent links: its messages follow each other.
    expect(activePath(haiku!)).toEqual(['user: Write a haiku about rain', 'assistant: Soft rain on the roof\nth', 'user: Thanks!']);
    expect(haiku!.messages.map((m) => m.depth)).toEqual([0, 1, 2]);

    const back = await storeAndReadBack(t, [lease!, haiku!]);
    expect(back.map(sortedChat)).toEqual([lease!, haiku!].map(sortedChat));
    const tree = await t.client.call('sessions.tree', { sessionId: lease!.id });
    expect(tree.nodes.filter((n) => n.parentId === question.id)).toHaveLength(2);
  });

  it('follows current_leaf_message_uuid when the export has it', async () => {
    const [lease] = await items();
    const [chat] = convert(claudeFormat, [{ ...lease, current_leaf_message_uuid: 'm4' }]);
    expect(activePath(chat!).at(-1)).toBe('assistant: Clause 5 covers repairs.');
  });

  it('is recognised from its start and the others are not', async () => {
    const text = await fixtureText('claude.json');
    expect(claudeFormat.sniff(text.slice(0, 400))).toBe(true);
    expect(claudeFormat.sniff(`\uFEFF  ${text.slice(0, 400)}`)).toBe(true);
    for (const other of [chatgptFormat, openwebuiFormat, librechatFormat]) expect(other.sniff(text)).toBe(false);
    for (const name of ['chatgpt.json', 'openwebui.json', 'librechat.json']) expect(claudeFormat.sniff(await fixtureText(name))).toBe(false);
    expect(claudeFormat.sniff('{"format":"coda-export","version":1,"chats":[]}')).toBe(false);
  });

  it('refuses broken items with the item and the field', async () => {
    const [lease] = await items();
    const messages = () => structuredClone(lease!.chat_messages) as Record<string, unknown>[];
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: undefined }, 3)).toThrow(
      /conversation 3 \(id 1b2c3d4e-0000-4000-8000-00000000c1a1, "Reading the lease"\): field chat_messages: /,
    );
    const badText = messages();
    badText[1]!.text = 42;
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: badText }, 0)).toThrow(/field chat_messages\.1\.text: /);
    const badSender = messages();
    badSender[0]!.sender = 'robot';
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: badSender }, 0)).toThrow(/field chat_messages\.0\.sender: /);
    const orphan = messages();
    orphan[3]!.parent_message_uuid = 'missing';
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: orphan }, 0)).toThrow(
      /field chat_messages\.3\.parent_message_uuid: the parent missing of message m3 is not in the conversation/,
    );
    const cycle = messages();
    cycle[0]!.parent_message_uuid = 'm4';
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: cycle }, 0)).toThrow(/parent_message_uuid: the parents of message m1 form a cycle/);
    const twice = messages();
    twice[4]!.uuid = 'm3';
    expect(() => claudeFormat.toChats({ ...lease, chat_messages: twice }, 0)).toThrow(/field chat_messages\.4: the message id m3 appears twice/);
  });
});
