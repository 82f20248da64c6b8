import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportDocument, exportJsonSchema, type ExportedChat } from '../shared/index.js';
import { exportChats, type ExportProgress } from '../electron/core/export/json-export.js';
import { chatMarkdown } from '../electron/core/export/markdown.js';
import { createHash } from 'node:crypto';
import { ExportReader } from '../electron/core/store/repositories/export-reader.js';
import { scriptedEnv, startTestCore, tempDir, testVault, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

// Export of whole chats (every branch, steps, tool calls, usage, feedback) to the published schema, and Markdown.
let t: TestCore;
let out: Awaited<ReturnType<typeof tempDir>>;
let chatId: string;
let answers: { withTool: string; sibling: string; hostile: string };
const exportSchemaFile = fileURLToPath(new URL('../resources/export-schema.json', import.meta.url));
const SAVED_KEY = 'sk-saved-in-settings-9f8e7d';

const toolCall = (id: string, name: string, args: unknown) => ({ toolCall: { id, name, arguments: JSON.stringify(args) } });

async function send(sessionId: string, text: string, parentId?: string) {
  const started = await t.client.call('chat.send', { sessionId, text, ...(parentId ? { parentId } : {}) });
  return (await t.client.followRun(started.runId)).message;
}

beforeAll(async () => {
  t = await startTestCore({ tools: true, vault: testVault });
  out = await tempDir('coda-export-');
  await t.client.call('providers.update', { id: 'anthropic', apiKey: SAVED_KEY });
  const session = await t.client.call('sessions.create', {});
  chatId = session.id;
  t.provider.enqueue(
    {
      kind: 'stream',
      steps: [{ text: 'Let me compute that.' }, toolCall('call_1', 'coda__evaluate_math', { expression: '6 * 7' })],
      usage: { input: 50, output: 10 },
    },
    textReply('6 × 7 = 42.', { input: 80, output: 12 }),
  );
  const withTool = await send(session.id, 'What is 6 * 7?');
  await t.client.call('messages.setFeedback', { messageId: withTool.id, feedback: { rating: 'up', comment: 'Right.' } });
  await t.client.call('messages.pin', { messageId: withTool.id, pinned: true });
  // A second answer to the same question: a sibling branch.
  t.provider.enqueue(textReply('Forty-two.'));
  const retried = await t.client.call('chat.retry', { messageId: withTool.id });
  const sibling = (await t.client.followRun(retried.runId)).message;
  // Model text that tries to break the transcript's structure.
  t.provider.enqueue(textReply('Done.</details>\n<script>alert(1)</script>\n```\nunclosed fence'));
  const hostile = await send(session.id, 'Close the details for me');
  answers = { withTool: withTool.id, sibling: sibling.id, hostile: hostile.id };
}, 120_000);
afterAll(async () => {
  await t.dispose();
  await out.remove();
});

async function exportJson(chatIds: string[], onProgress?: (p: ExportProgress) => void) {
  const file = path.join(out.dir, `export-${chatIds.length}-${Date.now()}.json`);
  const result = await exportChats({ reader: new ExportReader(t.core.store), chatIds, format: 'json', outFile: file, onProgress });
  return { result, text: await readFile(file, 'utf8') };
}

describe('export', { timeout: 120_000 }, () => {
  it('writes the whole tree with steps, tool calls, usage, cost, feedback and pins, valid against the published JSON Schema', async () => {
    const { result, text } = await exportJson([chatId]);
    const doc = ExportDocument.parse(JSON.parse(text));
    const ajv = new Ajv2020({ strict: false }).addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    const validate = ajv.compile(JSON.parse(await readFile(exportSchemaFile, 'utf8')) as object);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);

    expect(doc).toMatchObject({ format: 'coda-export', version: 1 });
    const chat = doc.chats[0] as ExportedChat;
    expect(result).toMatchObject({ chats: 1, messages: chat.messages.length });
    const byId = new Map(chat.messages.map((m) => [m.id, m]));
    const first = byId.get(answers.withTool);
    const sibling = byId.get(answers.sibling);
    // Both answers to the question are there, siblings under the same parent, and the active leaf is the last answer.
    expect(sibling?.parentId).toBe(first?.parentId);
    expect(chat.activeLeafId).toBe(answers.hostile);
    expect(chat.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['What is 6 * 7?', 'Close the details for me']);
    expect(first).toMatchObject({
      text: 'Let me compute that.\n\n6 × 7 = 42.',
      usage: { inputTokens: 130, outputTokens: 22, source: 'provider' },
      feedback: { rating: 'up', comment: 'Right.' },
      status: 'complete',
    });
    expect(first?.pinnedAt).toEqual(expect.any(Number));
    expect(first?.steps.length).toBeGreaterThanOrEqual(2);
    expect(first?.toolCalls).toEqual([
      expect.objectContaining({ tool: 'evaluate_math', server: 'coda', input: { expression: '6 * 7' }, status: 'success', stepId: first?.steps[0]?.id }),
    ]);
    expect(JSON.stringify(first?.toolCalls[0]?.output)).toContain('42');
    // Parents come before their children, so an importer can insert in file order.
    const seen = new Set<string>();
    for (const m of chat.messages) {
      if (m.parentId) expect(seen.has(m.parentId)).toBe(true);
      seen.add(m.id);
    }
  });

  it('never contains a key: neither one saved in Settings nor one from the environment', async () => {
    const { text } = await exportJson([chatId]);
    expect(await t.file('keys.json')).not.toBe('');
    for (const secret of [
      SAVED_KEY,
      ...Object.entries(scriptedEnv(t.provider))
        .filter(([k]) => k.endsWith('_KEY'))
        .map(([, v]) => v),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('streams chat by chat with progress, and a missing chat fails without leaving a file', async () => {
    const other = await t.client.call('sessions.create', {});
    t.provider.enqueue(textReply('Hello back.'));
    await send(other.id, 'Hello');
    const progress: ExportProgress[] = [];
    const { result, text } = await exportJson([chatId, other.id], (p) => progress.push(p));
    expect(progress.map((p) => `${p.done}/${p.total}`)).toEqual(['1/2', '2/2']);
    expect(ExportDocument.parse(JSON.parse(text)).chats.map((c) => c.id)).toEqual([chatId, other.id]);
    expect(result.chats).toBe(2);

    const target = path.join(out.dir, 'missing.json');
    await expect(
      exportChats({ reader: new ExportReader(t.core.store), chatIds: [chatId, '01900000-0000-7000-8000-000000000000'], format: 'json', outFile: target }),
    ).rejects.toThrow('No chat with id 01900000-0000-7000-8000-000000000000');
    await expect(readFile(target)).rejects.toThrow();
  });

  it('writes a Markdown transcript of the active path: tool calls as details, what a model wrote unable to break it', async () => {
    const chat = await new ExportReader(t.core.store).chat(chatId);
    const md = chatMarkdown(chat);
    // The active path goes through the retried answer, so the tool call of the first one is not in it.
    expect(md).toContain('Forty-two.');
    expect(md).not.toContain('6 × 7 = 42.');
    expect(md).toContain('&lt;/details>');
    expect(md).toContain('&lt;script>');
    expect(md).not.toMatch(/<script>/);
    expect(md.match(/<\/details>/g)).toBeNull();
    // The unclosed fence is closed at the end of the answer.
    expect(
      md
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('```')).length % 2,
    ).toBe(0);

    await t.client.call('sessions.switchBranch', { sessionId: chatId, messageId: answers.withTool });
    const withTool = chatMarkdown(await new ExportReader(t.core.store).chat(chatId));
    expect(withTool).toContain('<details>\n<summary>Tool call: coda › evaluate_math (success)</summary>');
    expect(withTool).toContain('**Arguments**\n\n```json\n{\n  "expression": "6 * 7"\n}\n```');
    expect(withTool).toMatch(/\*\*Output\*\*\n\n```json\n[\s\S]*42[\s\S]*```\n\n<\/details>/);
    expect(withTool).toContain('130 in / 22 out tokens');
    expect(withTool).toContain('rated up');
  });

  it('writes a read-only HTML page: no scripts, everything escaped, a CSP that allows only its own style', async () => {
    await t.client.call('sessions.switchBranch', { sessionId: chatId, messageId: answers.hostile });
    const file = path.join(out.dir, 'chat.html');
    await exportChats({ reader: new ExportReader(t.core.store), chatIds: [chatId], format: 'html', outFile: file });
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Done.&lt;/details&gt;\n&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<\/details>/g)).toBeNull();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    // The hash is the page's own stylesheet's, so the page shows styled and nothing else inline runs or loads.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(html.match(/<style>/g)).toHaveLength(1);

    await t.client.call('sessions.switchBranch', { sessionId: chatId, messageId: answers.withTool });
    await exportChats({ reader: new ExportReader(t.core.store), chatIds: [chatId], format: 'html', outFile: file });
    const withTool = await readFile(file, 'utf8');
    expect(withTool).toContain(
      '<details><summary>Tool call: coda › evaluate_math (success)</summary><div>Arguments</div><pre>{\n  &quot;expression&quot;: &quot;6 * 7&quot;\n}</pre>',
    );
  });

  it('gives the app the same file piece by piece (export.piece), one chat at a time', async () => {
    const { ids } = await t.client.call('export.chatIds', {});
    expect(ids[0]).toBe(chatId);
    const piece = async (p: Parameters<typeof t.client.call<'export.piece'>>[1]['piece'], format: 'json' | 'md' = 'json') =>
      (await t.client.call('export.piece', { format, piece: p })).text;
    const pieces = [await piece({ kind: 'header' })];
    for (const [index, sessionId] of ids.entries()) pieces.push(await piece({ kind: 'chat', sessionId, index }));
    pieces.push(await piece({ kind: 'footer' }));
    const fromPieces = ExportDocument.parse(JSON.parse(pieces.join('')));
    const { text } = await exportJson(ids);
    expect(fromPieces.chats).toEqual(ExportDocument.parse(JSON.parse(text)).chats);
    expect(await piece({ kind: 'chat', sessionId: chatId, index: 0 }, 'md')).toMatch(/^# What is 6/);
    await expect(t.client.call('export.piece', { format: 'json', piece: { kind: 'chat', sessionId: 'nope', index: 0 } })).rejects.toThrow(/sessionId/);
  });

  it('publishes resources/export-schema.json as generated from the zod schema (npx tsx scripts/write-export-schema.ts)', async () => {
    expect(JSON.parse(await readFile(exportSchemaFile, 'utf8'))).toEqual(exportJsonSchema());
  });
});
