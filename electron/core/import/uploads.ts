import { appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { CodaError, IMPORT_FILE_MAX, IMPORT_PIECE_MAX } from '../../../shared/index.js';
import { newId } from '../util/ids.js';
import { megabytes } from './limits.js';

/**
 * Files the app sends in pieces for an import (a message over the contract carries at most a few MB). Each upload is
 * a temporary file in the data folder's `import-uploads/`, filled piece by piece in order, with the size announced at
 * the start enforced as pieces arrive; it is removed once imported, when aborted, after 10 minutes without a piece,
 * and (for one a crash left behind) when the app starts.
 */

type Upload = { file: string; name: string; size: number; received: number; next: number; timer: NodeJS.Timeout; finishing: boolean };

export class ImportUploads {
  private readonly uploads = new Map<string, Upload>();
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly options: { idleMs: number; maxBytes: number } = { idleMs: 10 * 60_000, maxBytes: IMPORT_FILE_MAX },
  ) {
    this.dir = path.join(dataDir, 'import-uploads');
  }

  /** Removes what an earlier run left (call once at start, before any upload). */
  async removeLeftovers(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async begin(name: string, size: number): Promise<{ uploadId: string; pieceBytes: number }> {
    if (size > this.options.maxBytes) {
      throw new CodaError('validation', `${name} is ${megabytes(size)}; an import reads files up to ${megabytes(this.options.maxBytes)}.`);
    }
    await mkdir(this.dir, { recursive: true });
    const uploadId = newId();
    const file = path.join(this.dir, `${uploadId}.part`);
    await appendFile(file, Buffer.alloc(0));
    this.uploads.set(uploadId, { file, name, size, received: 0, next: 0, timer: this.idleTimer(uploadId), finishing: false });
    return { uploadId, pieceBytes: IMPORT_PIECE_MAX };
  }

  async chunk(uploadId: string, index: number, base64: string): Promise<{ receivedBytes: number }> {
    const upload = this.get(uploadId);
    if (upload.finishing) throw new CodaError('conflict', `Upload ${uploadId} is already being imported; it takes no more pieces.`);
    if (index !== upload.next) throw new CodaError('validation', `Piece ${index} of upload ${uploadId} arrived out of order: piece ${upload.next} comes next.`);
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length > IMPORT_PIECE_MAX)
      throw new CodaError('validation', `Piece ${index} is ${megabytes(bytes.length)}; a piece is at most ${megabytes(IMPORT_PIECE_MAX)}.`);
    if (upload.received + bytes.length > upload.size) {
      await this.abort(uploadId);
      throw new CodaError('validation', `${upload.name} sent more than the ${upload.size} bytes it announced; the upload was dropped.`);
    }
    // Claimed before the write, so a second call for the same index is refused rather than appended twice.
    upload.next++;
    upload.received += bytes.length;
    try {
      await appendFile(upload.file, bytes);
    } catch (error) {
      await this.abort(uploadId);
      throw new CodaError('internal', `Could not keep piece ${index} of ${upload.name}: ${(error as Error).message}`);
    }
    upload.timer.refresh();
    return { receivedBytes: upload.received };
  }

  /** Runs the import on the complete file, then removes it (whether the import succeeded or not). */
  async finish<T>(uploadId: string, run: (file: string) => Promise<T>): Promise<T> {
    const upload = this.get(uploadId);
    if (upload.finishing) throw new CodaError('conflict', `Upload ${uploadId} is already being imported.`);
    if (upload.received !== upload.size) {
      throw new CodaError('validation', `${upload.name} has ${upload.received} of its ${upload.size} bytes; send the rest before importing.`);
    }
    upload.finishing = true;
    clearTimeout(upload.timer);
    try {
      return await run(upload.file);
    } finally {
      await this.abort(uploadId);
    }
  }

  async abort(uploadId: string): Promise<boolean> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return false;
    clearTimeout(upload.timer);
    this.uploads.delete(uploadId);
    await rm(upload.file, { force: true });
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.uploads.keys()].map((id) => this.abort(id)));
  }

  private get(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) {
      throw new CodaError(
        'not_found',
        `No upload ${uploadId}: it was imported, cancelled, or dropped after ${this.options.idleMs / 60_000} minutes without a piece. Choose the file again.`,
      );
    }
    return upload;
  }

  private idleTimer(uploadId: string): NodeJS.Timeout {
    const timer = setTimeout(() => void this.abort(uploadId), this.options.idleMs);
    timer.unref();
    return timer;
  }
}
