import { useId, useState } from 'react';
import { IMPORT_TEXT_MAX, type ImportConflictMode, type ImportedChatOutcome, type ImportReport } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import './import.css';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; report: ImportReport } | { kind: 'error'; message: string };

function outcomeLine(chat: ImportedChatOutcome): string {
  switch (chat.outcome) {
    case 'imported':
      return `Imported “${chat.title}” (${chat.messages} messages)`;
    case 'replaced':
      return `Replaced “${chat.title}” (${chat.messages} messages)`;
    case 'copied':
      return `Imported “${chat.title}” as a copy (${chat.messages} messages; it was already here)`;
    case 'skipped':
      return `Skipped “${chat.title}”: ${chat.reason}`;
    case 'failed':
      return `Not imported “${chat.title}”: ${chat.reason}`;
  }
}

/** "Import" in Settings: reads a Coda JSON export the user chooses and shows what was imported, skipped and why. */
export function ImportSettings() {
  const [file, setFile] = useState<File | null>(null);
  const [onConflict, setOnConflict] = useState<ImportConflictMode>('copy');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const fileId = useId();
  const modeId = useId();
  const run = async () => {
    if (!file) return;
    if (file.size > IMPORT_TEXT_MAX) {
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      setState({
        kind: 'error',
        message: `${file.name} is ${mb(file.size)} MB; the app imports files up to ${mb(IMPORT_TEXT_MAX)} MB. Use coda import for it.`,
      });
      return;
    }
    setState({ kind: 'busy' });
    try {
      const report = await api.call('import.coda', { text: await file.text(), onConflict });
      setState({ kind: 'done', report });
    } catch (error) {
      setState({ kind: 'error', message: (error as Error).message });
    }
  };
  return (
    <div className="import-settings" data-testid="import-settings">
      <p>Bring back chats from a Coda JSON export, with every branch, step, tool call, usage and feedback. Each chat is imported whole or not at all.</p>
      <div className="import-fields">
        <label htmlFor={fileId}>File</label>
        <input
          id={fileId}
          type="file"
          accept=".json,application/json"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setState({ kind: 'idle' });
          }}
        />
        <label htmlFor={modeId}>Chats already here</label>
        <select id={modeId} value={onConflict} onChange={(e) => setOnConflict(e.target.value as ImportConflictMode)} data-testid="import-conflict">
          <option value="copy">Import as a copy</option>
          <option value="skip">Skip them</option>
          <option value="replace">Replace them</option>
        </select>
      </div>
      <div className="approval-buttons">
        <button type="button" disabled={!file || state.kind === 'busy'} onClick={() => void run()} data-testid="import-run">
          Import
        </button>
      </div>
      {state.kind === 'busy' ? (
        <p className="hint" role="status">
          Importing…
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <div role="status" data-testid="import-report">
          <p className="hint">
            {state.report.imported} of {state.report.chats.length} chat{state.report.chats.length === 1 ? '' : 's'} imported ({state.report.messages} messages),{' '}
            {state.report.skipped} skipped{state.report.failed ? `, ${state.report.failed} not imported` : ''}.
          </p>
          <ul className="import-report">
            {state.report.chats.map((chat) => (
              <li key={`${chat.outcome}-${chat.id}`}>{outcomeLine(chat)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {state.kind === 'error' ? (
        <p className="field-error" role="alert" data-testid="import-error">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
