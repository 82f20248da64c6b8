import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, inArray, isNull } from 'drizzle-orm';
import { newId } from '../../util/ids.js';
import { attachments } from '../schema.js';
import type { Store } from '../store.js';

export type AttachmentRow = typeof attachments.$inferInsert;

/** Files attached to messages: stored once by content hash in <data>/attachments, described by a row. */
export class AttachmentsRepository {
  constructor(
    private readonly store: Store,
    private readonly dataDir: string,
  ) {}

  /** Names and sizes of the files attached to some messages (for the conversation view). */
  async forMessages(messageIds: string[]): Promise<{ id: string; messageId: string; name: string; mimeType: string; size: number }[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.store.db
      .select()
      .from(attachments)
      .where(and(inArray(attachments.messageId, messageIds), isNull(attachments.deletedAt)))
      .all();
    return rows.map((r) => ({ id: r.id, messageId: r.messageId ?? '', name: r.name, mimeType: r.mimeType, size: r.size }));
  }

  /** Saves the bytes (once per content) and returns the row to insert with the message that carries them. */
  async prepare(sessionId: string, file: { name: string; mimeType: string; text: string }): Promise<AttachmentRow> {
    const bytes = Buffer.from(file.text, 'utf8');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const folder = path.join(this.dataDir, 'attachments');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, hash), bytes, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return {
      id: newId(),
      sessionId,
      messageId: null,
      hash,
      name: file.name,
      mimeType: file.mimeType,
      size: bytes.length,
      extractedText: file.text,
      createdAt: Date.now(),
      updatedAt: this.store.clock.now(),
      deletedAt: null,
    };
  }
}
