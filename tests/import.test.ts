import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument, type ExportedChat } from '../shared/index.js';
import { exportChats } from '../electron/core/export/json-export.js';
import type { ConflictMode } from '../electron/core/import/coda-import.js';
import { importCodaFile } from '../electron/core/import/import-file.js';
import { ExportReader } from '../electron/core/store/repositories/export-reader.js';
import { ImportWriter } from '../electron/core/store/repositories/import-writer.js';
import { startTestCore, tempDir, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

// Import of Coda's own JSON export: lossless round trip, conflict modes, and files that must be refused whole.
let source: TestCore;
let target: TestCore;
let out: Awaited<ReturnType<typeof tempDir>>;
let exportFile: string;
let original: ExportedChat;

const toolCall = (id: string, name: string, args: unknown) => ({ toolCall: { id, name, arguments: JSON.stringify(args) } });

async function exportFrom(t: TestCore, chatIds?: string[]): Promise<ExportDocument> {
  const reader = new ExportReader(t.core.store);
  const file = path.join(out.dir, `export-${Date.now()}-${Math.random()}.json`);
  await exportChats({ reader, chatIds: chatIds ?? (await reader.liveChatIds()), format: 'json', outFile: file });
  return ExportDocument.parse(JSON.parse(await readFile(file, 'utf8')));
}

const importInto = (t: TestCore, file: string, onConflict: ConflictMode = 'copy') =>
  importCodaFile({ file, writer: new ImportWriter(t.core.store), onConflict });

beforeAll(async () => {
  source = await startTestCore({ tools: true });
  target = await startTestCore({ provider: source.provider });
  out = await tempDir('coda-import-');
  const session = await source.client.call('sessions.create', {});
  source.provider.enqueue(
    {
      kind: 'stream',
      steps: [{ text: 'Let me compute that.' }, toolCall('call_1', 'coda__evaluate_math', { expression: '6 * 7' })],
      usage: { input: 50, output: 10 },
    },
    textReply('6 × 7 = 42.', { input: 80, output: 12 }),
  );
  const started = await source.client.call('chat.send', { sessionId: session.id, text: 'What is 6 * 7?' });
  const answer = (await source.client.followRun(started.runId)).message;
  await source.client.call('messages.setFeedback', { messageId: answer.id, feedback: { rating: 'up', comment: 'Right.' } });
  source.provider.enqueue(textReply('Forty-two.'));
  const retried = await source.client.call('chat.retry', { messageId: answer.id });
  await source.client.followRun(retried.runId);
  const doc = await exportFrom(source, [session.id]);
  original = doc.chats[0]!;
  exportFile = path.join(out.dir, 'source.json');
  await writeFile(exportFile, JSON.stringify(doc));
}, 120_000);
afterAll(async () => {
  await source.dispose();
  await target.dispose();
  await out.remove();
});

describe('import of a Coda export', { timeout: 120_000 }, () => {
  it('into an empty data folder reproduces every id, the tree, steps, tool calls, usage and feedback', async () => {
    const report = await importInto(target, exportFile);
    expect(report).toMatchObject({ imported: 1, skipped: 0, failed: 0, messages: original.messages.length });
    expect(report.chats).toEqual([{ outcome: 'imported', id: original.id, title: original.title, messages: original.messages.length }]);
    const again = await exportFrom(target);
    expect(again.chats).toEqual([original]);
    // The fixture has what the comparison is meant to cover.
    const answer = original.messages.find((m) => m.toolCalls.length > 0);
    expect(answer?.steps.length).toBeGreaterThanOrEqual(2);
    expect(answer).toMatchObject({ usage: { inputTokens: 130, outputTokens: 22 }, feedback: { rating: 'up' } });
    expect(original.messages.filter((m) => m.parentId === answer?.parentId)).toHaveLength(2);
  });

  it('a second time skips, replaces, or imports a copy with new ids and the same tree', async () => {
    const skipped = await importInto(target, exportFile, 'skip');
    expect(skipped.chats).toEqual([{ outcome: 'skipped', id: original.id, title: original.title, reason: 'a chat with this id is already here' }]);

    const renamed = path.join(out.dir, 'renamed.json');
    const doc = JSON.parse(await readFile(exportFile, 'utf8')) as ExportDocument;
    doc.chats[0]!.title = 'Renamed elsewhere';
    await writeFile(renamed, JSON.stringify(doc));
    const replaced = await importInto(target, renamed, 'replace');
    expect(replaced.chats).toEqual([{ outcome: 'replaced', id: original.id, title: 'Renamed elsewhere', messages: original.messages.length }]);
    expect((await exportFrom(target)).chats).toEqual([{ ...original, title: 'Renamed elsewhere' }]);

    // The same over the contract (Settings › Import sends the file's text).
    const overContract = await target.client.call('import.coda', { text: await readFile(exportFile, 'utf8'), onConflict: 'skip' });
    expect(overContract).toMatchObject({ imported: 0, skipped: 1, chats: [{ outcome: 'skipped', id: original.id }] });

    const copied = await importInto(target, exportFile);
    const outcome = copied.chats[0];
    expect(outcome).toMatchObject({ outcome: 'copied', fromId: original.id, messages: original.messages.length });
    const chats = (await exportFrom(target)).chats;
    expect(chats).toHaveLength(2);
    const copy = chats.find((c) => c.id === outcome?.id)!;
    const oldIds = new Set([original.id, ...original.messages.flatMap((m) => [m.id, ...m.steps.map((s) => s.id), ...m.toolCalls.map((c) => c.id)])]);
    const newIds = [copy.id, ...copy.messages.flatMap((m) => [m.id, ...m.steps.map((s) => s.id), ...m.toolCalls.map((c) => c.id)])];
    expect(newIds.filter((id) => oldIds.has(id))).toEqual([]);
    // Same tree: replace each id by its position and the copy is the original.
    const shape = (chat: ExportedChat) => {
      const index = new Map(chat.messages.map((m, i) => [m.id, i]));
      return {
        activeLeaf: chat.activeLeafId === null ? null : index.get(chat.activeLeafId),
        messages: chat.messages.map((m) => ({
          parent: m.parentId === null ? null : index.get(m.parentId),
          text: m.text,
          usage: m.usage,
          feedback: m.feedback,
          steps: m.steps.map((s) => s.content),
          calls: m.toolCalls.map((c) => ({ tool: c.tool, output: c.output, step: m.steps.findIndex((s) => s.id === c.stepId) })),
        })),
      };
    };
    expect(shape(copy)).toEqual(shape(original));
    expect(shape(copy).messages.some((m) => m.calls.some((c) => c.step >= 0))).toBe(true);
  });

  it('refuses a truncated, malformed or hostile file with a clear message, and writes nothing', async () => {
    const before = await exportFrom(target);
    const text = await readFile(exportFile, 'utf8');
    const file = async (name: string, content: string) => {
      const p = path.join(out.dir, name);
      await writeFile(p, content);
      return p;
    };
    const refuse = async (name: string, content: string, message: string | RegExp) => {
      await expect(importInto(target, await file(name, content)), name).rejects.toThrow(message);
    };
    const doc = () => JSON.parse(text) as Record<string, unknown> & { chats: Record<string, unknown>[] };

    await refuse('truncated.json', text.slice(0, Math.floor(text.length / 2)), /it is not valid JSON .*; it may be truncated/);
    await refuse('empty.json', '', 'it is empty');
    await refuse('other.json', JSON.stringify({ mapping: {} }), 'it is not a Coda export');
    await refuse('future.json', JSON.stringify({ ...doc(), version: 2 }), 'a Coda export of version 2; this app reads version 1');

    // A bad field in a second chat: the first (valid, new) chat is not imported either.
    const bad = doc();
    const fresh = { ...(bad.chats[0] as object), id: '0190a000-0000-7000-8000-000000000001' };
    const broken = JSON.parse(JSON.stringify(bad.chats[0])) as ExportedChat;
    const message = broken.messages[1]!;
    (message.usage as { inputTokens: number }).inputTokens = -5;
    bad.chats = [fresh, { ...broken, id: '0190a000-0000-7000-8000-000000000002' }];
    await refuse(
      'field.json',
      JSON.stringify(bad),
      `chat 1 (id 0190a000-0000-7000-8000-000000000002), message 1 (id ${message.id}): field chats.1.messages.1.usage.inputTokens:`,
    );

    const orphan = doc();
    (orphan.chats[0] as ExportedChat).messages[1]!.parentId = '0190a000-0000-7000-8000-0000000000ff';
    await refuse('orphan.json', JSON.stringify(orphan), 'its parent 0190a000-0000-7000-8000-0000000000ff is not an earlier message of the chat');

    // A path where a content hash belongs (the attachment's file would be looked up by it): refused by the schema.
    const pathy = doc();
    const first = (pathy.chats[0] as ExportedChat).messages[0]!;
    (pathy.chats[0] as ExportedChat).attachments = [
      {
        id: '0190a000-0000-7000-8000-0000000000aa',
        messageId: first.id,
        hash: '../../keys.json',
        name: '../../escape.txt',
        mimeType: 'text/plain',
        size: 1,
        extractedText: 'x',
        createdAt: first.createdAt,
        updatedAt: first.updatedAt,
        deletedAt: null,
      },
    ];
    await refuse(
      'path.json',
      JSON.stringify(pathy),
      /attachment 0 \(id 0190a000-0000-7000-8000-0000000000aa\): field chats\.0\.attachments\.0\.hash: a SHA-256 in hex/,
    );

    await refuse('proto.json', text.replace('"format":', '"__proto__":{"polluted":true},"format":'), 'it contains the key "__proto__"');
    const deep = doc();
    (deep.chats[0] as ExportedChat).messages[0]!.toolCalls = [];
    (deep.chats[0] as { title: unknown }).title = 'x';
    const nested = JSON.stringify(deep).replace('"title":"x"', `"title":${'['.repeat(200)}${']'.repeat(200)}`);
    await refuse('deep.json', nested, 'it nests arrays and objects more than 64 deep');
    const huge = doc();
    (huge.chats[0] as { title: string }).title = 'a'.repeat(33 * 1024 * 1024);
    await refuse('huge.json', JSON.stringify(huge), 'the value of "title" is a string of more than 33554432 characters');

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await exportFrom(target)).toMatchObject({ chats: before.chats });
  });

  it('imports every file the export writes: stored settings that do not fit the schema are exported as defaults', async () => {
    const fresh = await startTestCore({ provider: source.provider });
    try {
      const session = await fresh.client.call('sessions.create', {});
      await fresh.client.call('sessions.updateSettings', { id: session.id, settings: { temperature: 0.3 } });
      // A prompt stored as null and a step limit from before today's range, as older rows can hold.
      await fresh.core.store.write((db) =>
        db.run(sql`UPDATE sessions SET settings = json_set(settings, '$.systemPrompt', json('null'), '$.maxSteps', 500) WHERE id = ${session.id}`),
      );
      const file = path.join(out.dir, 'odd-settings.json');
      const reader = new ExportReader(fresh.core.store);
      await exportChats({ reader, chatIds: [session.id], format: 'json', outFile: file });
      const report = await importInto(target, file);
      expect(report).toMatchObject({ imported: 1, failed: 0 });
      const imported = (await exportFrom(target)).chats.find((c) => c.id === session.id);
      expect(imported?.settings).toMatchObject({ systemPrompt: '', maxSteps: 10, temperature: 0.3 });

      // What the reader cannot map fails the export by name, and leaves no file that the importer would refuse.
      const broken = path.join(out.dir, 'broken.json');
      await fresh.core.store.write((db) => db.run(sql`UPDATE sessions SET message_count = -1 WHERE id = ${session.id}`));
      await expect(exportChats({ reader, chatIds: [session.id], format: 'json', outFile: broken })).rejects.toThrow(
        `(${session.id}) cannot be exported: its field messageCount is not valid`,
      );
      await expect(readFile(broken)).rejects.toThrow(/ENOENT/);
    } finally {
      await fresh.dispose();
    }
  });

  it('writes a chat whole or not at all: a write that fails halfway leaves none of it', async () => {
    const fresh = await startTestCore({ provider: source.provider });
    try {
      // The database refuses the tool call, the last rows of the chat's transaction (after the chat and its messages).
      await fresh.core.store.write((db) =>
        db.run(sql`CREATE TRIGGER refuse_tool_calls BEFORE INSERT ON tool_calls BEGIN SELECT RAISE(ABORT, 'disk said no'); END`),
      );
      const report = await importInto(fresh, exportFile);
      expect(report).toMatchObject({ imported: 0, failed: 1 });
      expect(report.chats[0]).toMatchObject({
        outcome: 'failed',
        id: original.id,
        reason: expect.stringMatching(/^nothing of it was written: .*disk said no/),
      });
      expect((await exportFrom(fresh)).chats).toEqual([]);
      expect(await fresh.core.store.db.all(sql`SELECT id FROM messages`)).toEqual([]);
    } finally {
      await fresh.dispose();
    }
  });
});
