import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { RetentionSetting } from '../trace/RetentionSetting.js';
import { BackupList, backupSize } from './BackupList.js';

type Info = MethodOutput<'app.info'>;
type Backup = MethodOutput<'data.backup'>;

/** Where everything is kept, with Open (desktop app), Back up (the whole data folder as one file in its backups folder), and its backups. */
export function DataSettings() {
  const [info, setInfo] = useState<Info | null>(null);
  const [backupsChanged, setBackupsChanged] = useState(0);
  const [backup, setBackup] = useState<{ busy: boolean; done: Backup | null; error: string | null }>({ busy: false, done: null, error: null });
  useEffect(() => {
    api.call('app.info', {}).then(setInfo, () => setInfo(null));
  }, []);

  const backUp = async () => {
    setBackup({ busy: true, done: null, error: null });
    try {
      setBackup({ busy: false, done: await api.call('data.backup', {}), error: null });
      setBackupsChanged((n) => n + 1);
    } catch (error) {
      setBackup({ busy: false, done: null, error: (error as Error).message });
    }
  };
  const open = () => api.call('data.openFolder', {}).catch((error: Error) => setBackup((b) => ({ ...b, error: error.message })));

  return (
    <div className="data-settings" data-testid="data-settings">
      <p>
        Chats, answers, tool calls and settings are kept in <code data-testid="data-folder">{info?.dataDir ?? '…'}</code> (keys in the system&apos;s keychain in
        the desktop app).
      </p>
      <div className="approval-buttons">
        {info?.canOpenFolders ? (
          <button type="button" onClick={() => void open()}>
            Open the folder
          </button>
        ) : null}
        <button type="button" disabled={backup.busy} onClick={() => void backUp()} data-testid="back-up">
          {backup.busy ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      <p className="hint">
        A backup is one file with your chats, settings and attachments, taken while the app runs. It does not contain saved keys (they are locked to this
        computer&apos;s keychain): after restoring on another computer, enter them again.
      </p>
      {backup.busy ? (
        <p className="hint" role="status">
          Backing up the data folder…
        </p>
      ) : null}
      {backup.done ? (
        <div className="hint" role="status" data-testid="backup-done">
          <p>
            Saved a backup ({backupSize(backup.done.bytes)}) to <code>{backup.done.file}</code>. Not included: {backup.done.notIncluded.join(', ')}.
          </p>
        </div>
      ) : null}
      {backup.error ? (
        <p className="field-error" role="alert">
          {backup.error}
        </p>
      ) : null}
      <BackupList refreshKey={backupsChanged} canRestart={info?.canRestart ?? false} />
      <RetentionSetting />
    </div>
  );
}
