import { open } from 'node:fs/promises';
import { BACKUP_PIECE_BYTES, CodaError } from '../../../shared/index.js';
import { backupFile, cancelRestore, lastRestore, listBackups, pendingRestore, scheduleRestore } from '../backup/pending-restore.js';
import type { Handlers } from './router.js';

type BackupMethod = 'data.backups' | 'data.backupPiece' | 'data.restore' | 'data.cancelRestore' | 'data.restoreStatus' | 'app.restart';

/** Settings › Data's backups: listed, downloaded piece by piece, and restored at the next start. */
export function createBackupHandlers(d: { dataDir: string; migrationsDir: string; restart: (() => void) | undefined }): Pick<Handlers, BackupMethod> {
  return {
    'data.backups': async () => ({ backups: await listBackups(d.dataDir) }),
    'data.backupPiece': async ({ name, offset }) => {
      const handle = await open(await backupFile(d.dataDir, name), 'r');
      try {
        const total = (await handle.stat()).size;
        if (offset > total) throw new CodaError('validation', `Offset ${offset} is past the end of ${name} (${total} bytes).`);
        const buffer = Buffer.alloc(Math.min(BACKUP_PIECE_BYTES, total - offset));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return { base64: buffer.subarray(0, bytesRead).toString('base64'), total, done: offset + bytesRead >= total };
      } finally {
        await handle.close();
      }
    },
    'data.restore': async ({ name }) => scheduleRestore(d.dataDir, d.migrationsDir, name),
    'data.cancelRestore': async () => {
      await cancelRestore(d.dataDir);
      return { cancelled: true as const };
    },
    'data.restoreStatus': async () => ({ pending: await pendingRestore(d.dataDir), last: await lastRestore(d.dataDir) }),
    'app.restart': async () => {
      if (!d.restart) throw new CodaError('validation', 'Only the desktop app can restart itself; stop serve mode and start it again.');
      // After the answer has gone back: the restart closes core (and this connection) first.
      setTimeout(d.restart, 50);
      return { restarting: true as const };
    },
  };
}
