import { Readable } from 'node:stream';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemsLocation } from '../electron/core/import/formats/types.js';
import { importFile, type ImportFrom, type ImportProgress } from '../electron/core/import/import-file.js';
import { IMPORT_LIMITS } from '../electron/core/import/limits.js';
import { readItems } from '../electron/core/import/read-items.js';
import { ImportWriter } from '../electron/core/store/repositories/import-writer.js';
import { startTestCore, tempDir, type TestCore } from './helpers/core.js';
import { writeCodaExport } from './helpers/import-fixture.js';

// The streaming import: the reader's checks while streaming, the two passes (nothing half-written), progress.
let source: TestCore;
let target: TestCore;
let out: Awaited<ReturnType<typeof tempDir>>;
let small: string;
let smallText: string;

const CHATS = { kind: 'key', key: 'chats' } as const satisfies ItemsLocation;

async function collect(stream: Readable | string, location: ItemsLocation = CHATS, limits = IMPORT_LIMITS): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const { item } of readItems(stream, location, { limits })) items.push(item);
  return items;
}
const pieces = (...parts: (string | Buffer)[]) => Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)).filter((b) => b.length > 0));
const sessionCount = async (t: TestCore) => Number((await t.core.store.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions`)).n);
const importInto = (t: TestCore, file: string, from: ImportFrom = 'coda', onProgress?: (p: ImportProgress) => void) =>
  importFile({ file, from, writer: new ImportWriter(t.core.store), onConflict: 'copy', ...(onProgress ? { onProgress } : {}) });
const put = async (name: string, content: string) => {
  const file = path.join(out.dir, name);
  await writeFile(file, content);
  return file;
};

beforeAll(async () => {
  source = await startTestCore();
  target = await startTestCore({ provider: source.provider });
  out = await tempDir('coda-import-stream-');
  small = await writeCodaExport(source, out.dir, { chats: 2, exchanges: 1 });
  smallText = await readFile(small, 'utf8');
}, 120_000);
afterAll(async () => {
  await source.dispose();
  await target.dispose();
  await out.remove();
});

describe('reading a file item by item', { timeout: 120_000 }, () => {
  it('yields the same chats wherever the file is cut into pieces, even inside a multi-byte character', async () => {
    const expected = (JSON.parse(smallText) as { chats: unknown[] }).chats;
    const bytes = Buffer.from(smallText);
    expect(bytes.length).toBeGreaterThan(smallText.length); // the fixture has multi-byte characters to cut through
    for (let at = 0; at <= bytes.length; at++) {
      const items = await collect(pieces(bytes.subarray(0, at), bytes.subarray(at)));
      if (items.length !== 2 || JSON.stringify(items) !== JSON.stringify(expected)) expect(items, `cut at byte ${at}`).toEqual(expected);
    }
    // And in 7-byte pieces all the way through.
    const many = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    expect(await collect(pieces(...many))).toEqual(expected);
  });

  it('reads a root list and a single root object too', async () => {
    expect(await collect(pieces('[{"a":1},', '{"b":[2]}]'), { kind: 'root-array' })).toEqual([{ a: 1 }, { b: [2] }]);
    expect(await collect(pieces('{"title":"one"', ',"n":3}'), { kind: 'root-object' })).toEqual([{ title: 'one', n: 3 }]);
  });

  it('refuses hostile and malformed input with a message naming where', async () => {
    const refuse = (stream: Readable, message: string | RegExp, location: ItemsLocation = CHATS, limits = IMPORT_LIMITS) =>
      expect(collect(stream, location, limits)).rejects.toThrow(message);
    await refuse(pieces(`{"chats":[${'['.repeat(100)}${']'.repeat(100)}]}`), /it nests arrays and objects more than 64 deep\. \(at byte 72, in item 0\)/);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      await refuse(
        pieces(`{"chats":[{"id":"a"},{"x":{"${key}":{"polluted":true}}}]}`),
        `it contains the key "${key}", which is not allowed in an import. (at byte`,
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await refuse(pieces('[]'), 'it is not a JSON object');
    await refuse(pieces('"chats"'), 'it is not a JSON object');
    await refuse(pieces('{"chats":{"a":1}}'), '"chats" is not a list');
    await refuse(pieces('{"a":1}'), 'it is not a JSON list', { kind: 'root-array' });
    await refuse(pieces('{"chats":[{"a":1,,}]}'), /^Cannot import this file: it is not valid JSON \(in item 0: Unexpected COMMA .* at byte 17\)\.$/);
    await refuse(pieces('{"chats":[{"a":1},{"b":2},{"c":,}]}'), /it is not valid JSON \(in item 2: .* at byte 31\)\.$/);
    await refuse(pieces('{"chats":[]} {"chats":[]}'), /it is not valid JSON|more after its JSON value/);
    await refuse(pieces('{"chats":[]}', ' x'), 'it has more after its JSON value ends (at byte 12)');
    await refuse(pieces('   '), 'it is empty');
  });

  it('refuses a string over the limit while it is still arriving, not once it is whole', async () => {
    const limits = { ...IMPORT_LIMITS, maxStringLength: 10_000 };
    let served = 0;
    async function* slowly() {
      yield Buffer.from('{"chats":[{"title":"');
      for (let i = 0; i < 100; i++) {
        served++;
        yield Buffer.from('a'.repeat(1000));
      }
      yield Buffer.from('"}]}');
    }
    await expect(collect(Readable.from(slowly()), CHATS, limits)).rejects.toThrow('the value of "title" is a string of more than 10000 characters.');
    expect(served).toBeLessThan(15);
  });
});

describe('importing in two passes', { timeout: 120_000 }, () => {
  it('refuses a file truncated anywhere with a clear message and writes nothing', async () => {
    const before = await sessionCount(target);
    const step = Math.floor(smallText.length / 40);
    for (let at = 1; at < smallText.length; at += step) {
      const file = await put('cut.json', smallText.slice(0, at));
      await expect(importInto(target, file), `cut at ${at}`).rejects.toThrow(/^Cannot import this file: .*(truncated|it ends)/);
    }
    expect(await sessionCount(target)).toBe(before);
  });

  it('writes nothing when the last chat is bad, even though the first ones were fine', async () => {
    const doc = JSON.parse(smallText) as { chats: { messages: { depth: number }[] }[] };
    doc.chats[1]!.messages[1]!.depth = 7;
    const before = await sessionCount(target);
    await expect(importInto(target, await put('last-bad.json', JSON.stringify(doc)))).rejects.toThrow(/chat 1 \(id .*\), message .*: its depth 7/);
    expect(await sessionCount(target)).toBe(before);
  });

  it('checks a Coda head that comes after the chats before accepting any chat', async () => {
    const { chats } = JSON.parse(smallText) as { chats: Record<string, unknown>[] };
    const before = await sessionCount(target);
    // A bad chat, then a foreign head: the file is called foreign, not a bad Coda export.
    const foreign = JSON.stringify({ chats: [{ ...chats[0], messages: 'no' }], format: 'other-app' });
    await expect(importInto(target, await put('foreign-late.json', foreign))).rejects.toThrow('it is not a Coda export (its "format" is "other-app"');
    await expect(importInto(target, await put('future-late.json', JSON.stringify({ chats, format: 'coda-export', version: 2 })))).rejects.toThrow(
      'a Coda export of version 2',
    );
    await expect(importInto(target, await put('headless.json', JSON.stringify({ chats })))).rejects.toThrow('its "format" is null');
    await expect(importInto(target, await put('no-chats.json', JSON.stringify({ format: 'coda-export', version: 1 })))).rejects.toThrow(
      'it has no "chats" list',
    );
    expect(await sessionCount(target)).toBe(before);
    const late = await importInto(target, await put('head-last.json', JSON.stringify({ chats, version: 1, format: 'coda-export' })));
    expect(late).toMatchObject({ imported: 2, failed: 0 });
    expect(await sessionCount(target)).toBe(before + 2);
  });

  it('finds the format with auto, and says which formats it reads when it cannot', async () => {
    const fresh = await startTestCore({ provider: source.provider });
    try {
      expect(await importInto(fresh, small, 'auto')).toMatchObject({ imported: 2 });
      await expect(importInto(fresh, await put('unknown.json', '[{"mapping":{}}]'), 'auto')).rejects.toThrow(
        'it is not an export this app recognizes (it reads: coda (a Coda export), chatgpt (a ChatGPT export)',
      );
      // A Coda export read as ChatGPT's: its top level is not ChatGPT's list of conversations.
      await expect(importInto(fresh, small, 'chatgpt')).rejects.toThrow('it is not a JSON list (of conversations)');
      expect(await sessionCount(fresh)).toBe(2);
    } finally {
      await fresh.dispose();
    }
  });

  it('refuses a file over 500 MB before reading it', async () => {
    const limits = { ...IMPORT_LIMITS, maxBytes: 1000 };
    await expect(importFile({ file: small, from: 'coda', writer: new ImportWriter(target.core.store), onConflict: 'copy', limits })).rejects.toThrow(
      /it is [\d.]+ MB, larger than the 0 MB an import reads/,
    );
    expect(IMPORT_LIMITS.maxBytes).toBe(500 * 1024 * 1024);
  });

  it('reports progress: checking the bytes, then importing the chats, at most about ten times a second', async () => {
    const fresh = await startTestCore({ provider: source.provider });
    try {
      const file = await writeCodaExport(source, out.dir, { chats: 30, exchanges: 20, answer: (c, e) => `Answer ${c}.${e} ${'lorem ipsum '.repeat(40)}` });
      const events: (ImportProgress & { at: number })[] = [];
      const started = Date.now();
      const report = await importInto(fresh, file, 'auto', (p) => events.push({ ...p, at: Date.now() }));
      const seconds = (Date.now() - started) / 1000;
      expect(report).toMatchObject({ imported: 30, messages: 30 * 40 });
      const checking = events.filter((e) => e.phase === 'checking');
      const importing = events.filter((e) => e.phase === 'importing');
      expect(events.findIndex((e) => e.phase === 'importing')).toBe(checking.length);
      expect(checking[0]).toMatchObject({ bytesRead: 0, chatsDone: 0, chatsTotal: null });
      expect(checking.at(-1)).toMatchObject({ bytesRead: checking[0]!.totalBytes, chatsDone: 30 });
      expect(importing.at(-1)).toMatchObject({ bytesRead: checking[0]!.totalBytes, chatsDone: 30, chatsTotal: 30 });
      for (const phase of [checking, importing]) {
        for (let i = 1; i < phase.length; i++) expect(phase[i]!.bytesRead).toBeGreaterThanOrEqual(phase[i - 1]!.bytesRead);
      }
      expect(importing.some((e) => e.chatsDone > 0 && e.chatsDone < 30)).toBe(true);
      // Four events always go out (each phase's first and last); the rest are at most one per 100 ms.
      expect(events.length).toBeLessThanOrEqual(seconds * 10 + 4);
    } finally {
      await fresh.dispose();
    }
  });
});
