import { useEffect, useState } from 'react';
import type { BackupListing, MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { saveBlob } from '../export/export-download.js';

type Status = MethodOutput<'data.restoreStatus'>;
type Busy = { kind: 'none' } | { kind: 'download'; name: string; percent: number } | { kind: 'checking'; name: string };

export const backupSize = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const when = (time: number | string) => new Date(time).toLocaleString();

/** Reads a backup piece by piece (one message each, whatever its size) and saves it as a download. */
async function downloadBackup(name: string, onProgress: (percent: number) => void): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; ;) {
    const piece = await api.call('data.backupPiece', { name, offset });
    const bytes = Uint8Array.from(atob(piece.base64), (c) => c.charCodeAt(0));
    parts.push(bytes);
    offset += bytes.length;
    onProgress(piece.total ? Math.round((offset / piece.total) * 100) : 100);
    if (piece.done || bytes.length === 0) break;
  }
  saveBlob(new Blob(parts, { type: 'application/zip' }), name);
}

/**
 * The backups in the data folder, each downloadable and restorable. A restore is checked at once and swapped in at
 * the next start (the running app cannot replace its own open database); until then it can be cancelled.
 */
export function BackupList(props: { refreshKey: number; canRestart: boolean }) {
  const [backups, setBackups] = useState<BackupListing[] | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>({ kind: 'none' });
  const [error, setError] = useState<string | null>(null);

  const [loads, setLoads] = useState(0);
  useEffect(() => {
    let current = true;
    Promise.all([api.call('data.backups', {}), api.call('data.restoreStatus', {})]).then(
      ([list, restore]) => {
        if (!current) return;
        setBackups(list.backups);
        setStatus(restore);
      },
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [loads, props.refreshKey]);
  const refresh = () => setLoads((n) => n + 1);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy({ kind: 'none' });
      refresh();
    }
  };
  const restore = (name: string) =>
    run(async () => {
      setConfirming(null);
      setBusy({ kind: 'checking', name });
      await api.call('data.restore', { name });
    });
  const download = (name: string) => run(() => downloadBackup(name, (percent) => setBusy({ kind: 'download', name, percent })));

  const pending = status?.pending ?? null;
  const last = status?.last ?? null;
  return (
    <section className="backup-list" aria-labelledby="backup-list-title" data-testid="backup-list">
      <h4 id="backup-list-title">Backups in the data folder</h4>
      {pending ? (
        <div className="backup-pending" role="status" data-testid="restore-pending">
          <p>
            <strong>{pending.name}</strong> (taken {when(pending.backupCreatedAt)}) has been checked and will replace your chats, settings and attachments when
            Coda Agent next starts. What is here now will be kept in <code>backups/</code>.
          </p>
          <div className="approval-buttons">
            {props.canRestart ? (
              <button type="button" onClick={() => void run(() => api.call('app.restart', {}))} data-testid="restart-now">
                Restart now
              </button>
            ) : (
              <p className="hint">Stop serve mode and start it again to finish.</p>
            )}
            <button type="button" onClick={() => void run(() => api.call('data.cancelRestore', {}))} data-testid="restore-cancel">
              Cancel the restore
            </button>
          </div>
        </div>
      ) : null}
      {last?.outcome === 'restored' ? (
        <p className="hint" role="status" data-testid="restore-last">
          Restored {last.name} (taken {when(last.backupCreatedAt)}) at {when(last.restoredAt)}.
          {last.previous ? (
            <>
              {' '}
              What was here before is in <code>{last.previous}</code>.
            </>
          ) : null}
        </p>
      ) : null}
      {last?.outcome === 'failed' ? (
        <p className="field-error" role="alert" data-testid="restore-last">
          The restore of {last.name} did not happen at {when(last.failedAt)}: {last.reason}
        </p>
      ) : null}
      {backups && backups.length === 0 ? <p className="hint">No backups yet: Back up now makes one here.</p> : null}
      {backups && backups.length > 0 ? (
        <ul className="backup-rows">
          {backups.map((backup) => (
            <li key={backup.name} data-testid="backup-row">
              <div className="backup-name">
                <code>{backup.name}</code>
                <span className="hint">
                  {backupSize(backup.bytes)} · {when(backup.modifiedAt)}
                </span>
              </div>
              <div className="approval-buttons">
                <button type="button" disabled={busy.kind !== 'none'} onClick={() => void download(backup.name)} data-testid="backup-download">
                  {busy.kind === 'download' && busy.name === backup.name ? `Downloading… ${busy.percent}%` : 'Download'}
                </button>
                <button type="button" disabled={busy.kind !== 'none'} onClick={() => setConfirming(backup.name)} data-testid="backup-restore">
                  {busy.kind === 'checking' && busy.name === backup.name ? 'Checking…' : 'Restore…'}
                </button>
              </div>
              {confirming === backup.name ? (
                <div className="backup-confirm" role="group" aria-label={`Restore ${backup.name}`} data-testid="restore-confirm">
                  <p>
                    Replace every chat, setting and attachment with those of this backup? It is checked now and swapped in when Coda Agent next starts; what is
                    here then is moved to <code>backups/before-restore-…</code>, not deleted. Saved keys stay as they are.
                  </p>
                  <div className="approval-buttons">
                    <button type="button" onClick={() => void restore(backup.name)} data-testid="restore-confirm-yes">
                      Check and restore at next start
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep my data
                    </button>
                  </div>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="backup-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
