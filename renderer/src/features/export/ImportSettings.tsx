import { useId, useState } from 'react';
import type { ImportConflictMode, ImportedChatOutcome, ImportFrom, ImportReport } from '../../../../shared/index.js';
import { describeStage, uploadAndImport, type ImportStage } from './upload.js';
import './import.css';

type State = { kind: 'idle' } | { kind: 'busy'; stage: ImportStage | null } | { kind: 'done'; report: ImportReport } | { kind: 'error'; message: string };

const FORMATS: { value: ImportFrom; label: string }[] = [
  { value: 'auto', label: 'Auto-detect' },
  { value: 'coda', label: 'Coda' },
  { value: 'chatgpt', label: 'ChatGPT' },
  { value: 'claude', label: 'Claude' },
  { value: 'openwebui', label: 'Open WebUI' },
  { value: 'librechat', label: 'LibreChat' },
];

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

/**
 * "Import" in Settings: sends the export the user chooses to the core in pieces (files up to 500 MB), shows a progress
 * bar while the core checks and imports it, then what was imported, skipped and why.
 */
export function ImportSettings() {
  const [file, setFile] = useState<File | null>(null);
  const [from, setFrom] = useState<ImportFrom>('auto');
  const [onConflict, setOnConflict] = useState<ImportConflictMode>('copy');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const fileId = useId();
  const formatId = useId();
  const modeId = useId();
  const run = async () => {
    if (!file) return;
    setState({ kind: 'busy', stage: null });
    try {
      const report = await uploadAndImport(file, { from, onConflict, onStage: (stage) => setState({ kind: 'busy', stage }) });
      setState({ kind: 'done', report });
    } catch (error) {
      setState({ kind: 'error', message: (error as Error).message });
    }
  };
  return (
    <div className="import-settings" data-testid="import-settings">
      <p>
        Bring back chats from a Coda JSON export with every branch, step, tool call, usage and feedback, or bring them over from ChatGPT, Claude, Open WebUI or
        LibreChat exports with every branch (files up to 500 MB). The whole file is checked first, then each chat is imported whole or not at all.
      </p>
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
        <label htmlFor={formatId}>Format</label>
        <select id={formatId} value={from} onChange={(e) => setFrom(e.target.value as ImportFrom)} data-testid="import-format">
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
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
      {state.kind === 'busy' ? <ImportProgressBar stage={state.stage} /> : null}
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

function ImportProgressBar({ stage }: { stage: ImportStage | null }) {
  if (!stage) {
    return (
      <p className="hint" role="status">
        Starting…
      </p>
    );
  }
  const { label, value, max } = describeStage(stage);
  return (
    <div className="import-progress" role="status" data-testid="import-progress">
      <progress max={Math.max(max, 1)} value={Math.min(value, max)} aria-label="Import progress" />
      <p className="hint">{label}</p>
    </div>
  );
}
