import { z } from 'zod';
import { Timestamp } from './primitives.js';

/** A backup file in the data folder's backups/ (Settings › Data lists them). */
export const BackupListing = z.object({ name: z.string(), bytes: z.number().int().nonnegative(), modifiedAt: Timestamp });
export type BackupListing = z.infer<typeof BackupListing>;

/** A restore chosen in Settings: checked and unpacked, waiting for the next start to be swapped in. */
export const PendingRestore = z.object({
  name: z.string(),
  /** When the backup was taken (its manifest's ISO time). */
  backupCreatedAt: z.string(),
  appVersion: z.string(),
  scheduledAt: Timestamp,
});
export type PendingRestore = z.infer<typeof PendingRestore>;

/** What the last scheduled restore did at start. */
export const RestoreOutcome = z.discriminatedUnion('outcome', [
  PendingRestore.extend({
    outcome: z.literal('restored'),
    restoredAt: Timestamp,
    /** Where the data it replaced was moved, or null when there was none. */
    previous: z.string().nullable(),
  }),
  PendingRestore.extend({ outcome: z.literal('failed'), failedAt: Timestamp, reason: z.string() }),
]);
export type RestoreOutcome = z.infer<typeof RestoreOutcome>;

const BackupName = z.string().min(1).max(200);
/** How much of a backup one `data.backupPiece` carries (base64 grows it by a third; serve mode's socket takes 8 MB). */
export const BACKUP_PIECE_BYTES = 4 * 1024 * 1024;

export const backupMethods = {
  'data.backups': { input: z.object({}).strict(), output: z.object({ backups: z.array(BackupListing) }) },
  /** A piece of a backup file, for a download in the browser or the app: base64 from `offset`, `done` on the last. */
  'data.backupPiece': {
    input: z.object({ name: BackupName, offset: z.number().int().nonnegative() }).strict(),
    output: z.object({ base64: z.string(), total: z.number().int().nonnegative(), done: z.boolean() }),
  },
  /**
   * Checks a backup of backups/ completely and schedules it to replace the chats, settings and attachments at the
   * next start (the data it replaces is kept in backups/before-restore-<time>/). A refused backup schedules nothing.
   */
  'data.restore': { input: z.object({ name: BackupName }).strict(), output: PendingRestore },
  'data.cancelRestore': { input: z.object({}).strict(), output: z.object({ cancelled: z.literal(true) }) },
  /** The scheduled restore (if any) and what the last one did. */
  'data.restoreStatus': {
    input: z.object({}).strict(),
    output: z.object({ pending: PendingRestore.nullable(), last: RestoreOutcome.nullable() }),
  },
  /** Quits and starts the desktop app again (`app.info.canRestart`); serve mode is restarted by whoever started it. */
  'app.restart': { input: z.object({}).strict(), output: z.object({ restarting: z.literal(true) }) },
} as const;
