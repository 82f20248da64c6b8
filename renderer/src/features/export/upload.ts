import {
  IMPORT_FILE_MAX,
  IMPORT_HEAD_CHARS,
  type ImportConflictMode,
  type ImportFrom,
  type ImportProgress,
  type ImportReport,
} from '../../../../shared/index.js';
import { api } from '../../api/client.js';

/** What the import is doing now, for the progress bar. */
export type ImportStage =
  { kind: 'uploading'; sentBytes: number; totalBytes: number; label: string | null } | { kind: 'core'; progress: ImportProgress; label: string | null };

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Base64 of a piece; in slices, since String.fromCharCode takes a bounded number of arguments. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/**
 * Sends the file to the core in pieces (one message over the contract carries a few MB at most), then imports it;
 * the core streams it, so any size up to IMPORT_FILE_MAX works. A failure on the way drops the upload.
 */
export async function uploadAndImport(
  file: File,
  options: { from: ImportFrom; onConflict: ImportConflictMode; onStage: (stage: ImportStage) => void },
): Promise<ImportReport> {
  if (file.size > IMPORT_FILE_MAX) throw new Error(`${file.name} is ${mb(file.size)}; an import reads files up to ${mb(IMPORT_FILE_MAX)}.`);
  if (file.size === 0) throw new Error(`${file.name} is empty.`);
  // Auto-detect on the file's start first: a file no format recognizes is refused before any of it is sent.
  const label =
    options.from === 'auto'
      ? (await api.call('import.detect', { head: new TextDecoder().decode(await file.slice(0, IMPORT_HEAD_CHARS).arrayBuffer()).slice(0, IMPORT_HEAD_CHARS) }))
          .label
      : null;
  const { uploadId, pieceBytes } = await api.call('import.begin', { name: file.name.slice(0, 255) || 'file', size: file.size });
  const stop = api.onApp((event) => {
    if (event.type === 'import-progress' && event.progress.uploadId === uploadId) options.onStage({ kind: 'core', progress: event.progress, label });
  });
  try {
    for (let index = 0, at = 0; at < file.size; index++, at += pieceBytes) {
      options.onStage({ kind: 'uploading', sentBytes: at, totalBytes: file.size, label });
      const piece = new Uint8Array(await file.slice(at, at + pieceBytes).arrayBuffer());
      await api.call('import.chunk', { uploadId, index, data: base64(piece) });
    }
    options.onStage({ kind: 'uploading', sentBytes: file.size, totalBytes: file.size, label });
    return await api.call('import.finish', { uploadId, from: options.from, onConflict: options.onConflict });
  } catch (error) {
    await api.call('import.abort', { uploadId }).catch(() => undefined);
    throw error;
  } finally {
    stop();
  }
}

/** The bar's label and fraction for a stage. */
export function describeStage(stage: ImportStage): { label: string; value: number; max: number } {
  const what = stage.label ? ` (${stage.label})` : '';
  if (stage.kind === 'uploading') {
    return { label: `Sending the file${what}… ${mb(stage.sentBytes)} of ${mb(stage.totalBytes)}`, value: stage.sentBytes, max: stage.totalBytes };
  }
  const p = stage.progress;
  const percent = p.totalBytes === 0 ? 100 : Math.floor((p.bytesRead / p.totalBytes) * 100);
  return p.phase === 'checking'
    ? { label: `Checking the file${what}… ${percent}% (${p.chatsDone} chats so far)`, value: p.bytesRead, max: p.totalBytes }
    : { label: `Importing… ${p.chatsDone} of ${p.chatsTotal ?? '?'} chats`, value: p.chatsDone, max: p.chatsTotal ?? 1 };
}
