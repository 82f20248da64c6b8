import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_FILE_MAX, type ImportProgress } from '../shared/index.js';
import { ImportUploads } from '../electron/core/import/uploads.js';
import { startTestCore, tempDir, type TestCore } from './helpers/core.js';
import { writeCodaExport } from './helpers/import-fixture.js';

// Settings › Import sends a file in pieces over the contract: order, size and ids are enforced, and nothing is left behind.
let source: TestCore;
let target: TestCore;
let out: Awaited<ReturnType<typeof tempDir>>;
let bytes: Buffer;

const uploadsDir = (t: TestCore) => path.join(t.dataDir, 'import-uploads');
const leftovers = async (t: TestCore) => readdir(uploadsDir(t)).catch(() => []);

beforeAll(async () => {
  source = await startTestCore();
  target = await startTestCore({ provider: source.provider });
  out = await tempDir('coda-import-upload-');
  bytes = await readFile(await writeCodaExport(source, out.dir, { chats: 3, exchanges: 2 }));
}, 120_000);
afterAll(async () => {
  await source.dispose();
  await target.dispose();
  await out.remove();
});

describe('import in pieces over the contract', { timeout: 120_000 }, () => {
  it('imports a file sent in pieces, with progress events, and removes the pieces', async () => {
    const { uploadId, pieceBytes } = await target.client.call('import.begin', { name: 'chats.json', size: bytes.length });
    expect(pieceBytes).toBe(4 * 1024 * 1024);
    // Pieces smaller than allowed, so the file takes several (and cuts through characters).
    const size = 1000;
    for (let index = 0; index * size < bytes.length; index++) {
      const sent = await target.client.call('import.chunk', { uploadId, index, data: bytes.subarray(index * size, (index + 1) * size).toString('base64') });
      expect(sent.receivedBytes).toBe(Math.min((index + 1) * size, bytes.length));
    }
    const events: ImportProgress[] = [];
    const stop = target.client.onApp((event) => {
      if (event.type === 'import-progress') events.push(event.progress);
    });
    const report = await target.client.call('import.finish', { uploadId, from: 'auto', onConflict: 'copy' });
    stop();
    expect(report).toMatchObject({ imported: 3, failed: 0, messages: 12 });
    expect(events[0]).toMatchObject({ uploadId, phase: 'checking', bytesRead: 0, totalBytes: bytes.length });
    expect(events.at(-1)).toMatchObject({ uploadId, phase: 'importing', chatsDone: 3, chatsTotal: 3 });
    expect(await leftovers(target)).toEqual([]);
    await expect(target.client.call('import.chunk', { uploadId, index: 0, data: 'AAAA' })).rejects.toThrow(`No upload ${uploadId}`);
  });

  it('refuses a piece out of order, too many bytes, an unknown id, a file too big, and finishing early', async () => {
    const { uploadId } = await target.client.call('import.begin', { name: 'chats.json', size: 10 });
    await expect(target.client.call('import.chunk', { uploadId, index: 1, data: 'AAAA' })).rejects.toThrow(
      `Piece 1 of upload ${uploadId} arrived out of order: piece 0 comes next.`,
    );
    await target.client.call('import.chunk', { uploadId, index: 0, data: Buffer.from('{"a":').toString('base64') });
    await expect(target.client.call('import.finish', { uploadId, from: 'coda', onConflict: 'copy' })).rejects.toThrow(
      'chats.json has 5 of its 10 bytes; send the rest before importing.',
    );
    await expect(target.client.call('import.chunk', { uploadId, index: 1, data: Buffer.from('123456').toString('base64') })).rejects.toThrow(
      'chats.json sent more than the 10 bytes it announced; the upload was dropped.',
    );
    // Dropped: its id is unknown now, and its file is gone.
    await expect(target.client.call('import.chunk', { uploadId, index: 1, data: 'AAAA' })).rejects.toThrow(`No upload ${uploadId}`);
    expect(await leftovers(target)).toEqual([]);
    await expect(target.client.call('import.finish', { uploadId: '0190a000-0000-7000-8000-000000000001', from: 'coda', onConflict: 'copy' })).rejects.toThrow(
      'No upload 0190a000-0000-7000-8000-000000000001',
    );
    await expect(target.client.call('import.begin', { name: 'huge.json', size: IMPORT_FILE_MAX + 1 })).rejects.toThrow(/size/);
    expect(await target.core.invoke('import.chunk', { uploadId: 'not-an-id', index: 0, data: 'AAAA' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringMatching(/uploadId/) },
    });
    expect(await target.core.invoke('import.chunk', { uploadId, index: 0, data: 'not base64!' })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringMatching(/a piece is base64/) },
    });
  });

  it('names the format of a file from its start before it is sent, and refuses one it does not recognize', async () => {
    expect(await target.client.call('import.detect', { head: bytes.subarray(0, 64 * 1024).toString('utf8') })).toEqual({
      format: 'coda',
      label: 'a Coda export',
    });
    const chatgpt = await readFile(fileURLToPath(new URL('./fixtures/import/chatgpt.json', import.meta.url)), 'utf8');
    // Cut anywhere, as the app cuts a big file's first 64 KB.
    expect(await target.client.call('import.detect', { head: chatgpt.slice(0, 200) })).toEqual({ format: 'chatgpt', label: 'a ChatGPT export' });
    await expect(target.client.call('import.detect', { head: '[{"hello":1}]' })).rejects.toThrow(
      /^Cannot import this file: it is not an export this app recognizes \(it reads: coda \(a Coda export\), chatgpt/,
    );
    await expect(target.client.call('import.detect', { head: 'x'.repeat(64 * 1024 + 1) })).rejects.toThrow(/head/);
  });

  it('drops an upload abandoned halfway, and one the user cancelled', async () => {
    const uploads = new ImportUploads(out.dir, { idleMs: 50, maxBytes: 1000 });
    const { uploadId } = await uploads.begin('chats.json', 100);
    await uploads.chunk(uploadId, 0, Buffer.from('{"format":').toString('base64'));
    expect(await readdir(uploads.dir)).toEqual([`${uploadId}.part`]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await readdir(uploads.dir)).toEqual([]);
    await expect(uploads.chunk(uploadId, 1, 'AAAA')).rejects.toThrow(`No upload ${uploadId}: it was imported, cancelled, or dropped after`);
    await expect(uploads.begin('big.json', 1001)).rejects.toThrow('big.json is 0 MB; an import reads files up to 0 MB.');

    const started = await target.client.call('import.begin', { name: 'chats.json', size: 100 });
    expect(await target.client.call('import.abort', { uploadId: started.uploadId })).toEqual({ aborted: true });
    expect(await target.client.call('import.abort', { uploadId: started.uploadId })).toEqual({ aborted: false });
    expect(await leftovers(target)).toEqual([]);
  });
});
