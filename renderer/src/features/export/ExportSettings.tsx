import { useState } from 'react';
import type { ExportFileFormat } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { downloadExport } from './export-download.js';
import './export.css';

type State = { kind: 'idle' } | { kind: 'busy'; done: number; total: number } | { kind: 'done'; chats: number } | { kind: 'error'; message: string };

/** "Export all chats" in Settings: every chat not in the trash, as one JSON file (the published schema) or Markdown. */
export function ExportSettings() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const exportAll = async (format: ExportFileFormat) => {
    setState({ kind: 'busy', done: 0, total: 0 });
    try {
      const { ids } = await api.call('export.chatIds', {});
      const day = new Date().toISOString().slice(0, 10);
      await downloadExport({
        chatIds: ids,
        format,
        fileName: `coda-chats-${day}.${format}`,
        onProgress: (done, total) => setState({ kind: 'busy', done, total }),
      });
      setState({ kind: 'done', chats: ids.length });
    } catch (error) {
      setState({ kind: 'error', message: (error as Error).message });
    }
  };
  const busy = state.kind === 'busy';
  return (
    <div className="export-settings" data-testid="export-settings">
      <p>
        Save every chat with all its branches, steps, tool calls, usage, cost and feedback as JSON (documented by <code>export-schema.json</code>), or their
        conversations as Markdown. Keys are never included.
      </p>
      <div className="approval-buttons">
        <button type="button" disabled={busy} onClick={() => void exportAll('json')} data-testid="export-all-json">
          Export all chats (JSON)
        </button>
        <button type="button" disabled={busy} onClick={() => void exportAll('md')} data-testid="export-all-md">
          Export all chats (Markdown)
        </button>
      </div>
      {state.kind === 'busy' ? (
        <p className="hint" role="status">
          <progress max={state.total || 1} value={state.done} aria-label="Export progress" />{' '}
          {state.total ? `${state.done} of ${state.total} chats` : 'Starting…'}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <p className="hint" role="status" data-testid="export-done">
          Exported {state.chats} chat{state.chats === 1 ? '' : 's'}.
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
