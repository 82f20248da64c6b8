import { useState } from 'react';
import type { ExportFileFormat } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { ChooseChats } from './ChooseChats.js';
import { downloadExport } from './export-download.js';
import './export.css';

type State = { kind: 'idle' } | { kind: 'busy'; done: number; total: number } | { kind: 'done'; chats: number } | { kind: 'error'; message: string };

/**
 * Export in Settings: every chat not in the trash, or the chats the user picks, as one JSON file (the published
 * schema) or Markdown.
 */
export function ExportSettings() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [choosing, setChoosing] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const exportChats = async (which: 'all' | 'selected', format: ExportFileFormat) => {
    setState({ kind: 'busy', done: 0, total: 0 });
    try {
      const ids = which === 'all' ? (await api.call('export.chatIds', {})).ids : [...selected];
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
  const exportAll = (format: ExportFileFormat) => exportChats('all', format);
  const busy = state.kind === 'busy';
  const count = selected.size;
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
        <button type="button" aria-expanded={choosing} onClick={() => setChoosing(!choosing)} data-testid="export-choose">
          {choosing ? 'Hide the chat list' : 'Choose chats…'}
        </button>
      </div>
      {choosing ? (
        <>
          <ChooseChats selected={selected} onChange={setSelected} disabled={busy} />
          <div className="approval-buttons">
            <button type="button" disabled={busy || count === 0} onClick={() => void exportChats('selected', 'json')} data-testid="export-selected-json">
              Export {count} chosen (JSON)
            </button>
            <button type="button" disabled={busy || count === 0} onClick={() => void exportChats('selected', 'md')} data-testid="export-selected-md">
              Export {count} chosen (Markdown)
            </button>
          </div>
        </>
      ) : null}
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
