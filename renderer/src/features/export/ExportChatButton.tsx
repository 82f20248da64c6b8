import { useState } from 'react';
import type { ExportFileFormat, Session } from '../../../../shared/index.js';
import { downloadExport, exportFileName } from './export-download.js';
import { DownloadIcon } from '../../app/icons.js';
import './export.css';

/** Export one chat from its sidebar row: a small menu of JSON (everything, every branch) or Markdown (the branch on screen). */
export function ExportChatButton({ session }: { session: Session }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (format: ExportFileFormat) => {
    setOpen(false);
    setError(null);
    try {
      await downloadExport({ chatIds: [session.id], format, fileName: exportFileName(session.title, format) });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div
      className="export-chat"
      onBlur={(event) => {
        // Closes when the focus leaves the button and its menu (a click elsewhere, Tab past it).
        if (!event.currentTarget.contains(event.relatedTarget)) setOpen(false);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        className="icon"
        aria-label={`Export ${session.title}`}
        title={error ?? 'Export'}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="export-session"
      >
        <DownloadIcon />
      </button>
      {open ? (
        <div className="export-menu" role="menu" aria-label={`Export ${session.title} as`}>
          <button type="button" role="menuitem" autoFocus onClick={() => void save('json')} data-testid="export-json">
            JSON (every branch)
          </button>
          <button type="button" role="menuitem" onClick={() => void save('md')} data-testid="export-md">
            Markdown (this branch)
          </button>
          <button type="button" role="menuitem" onClick={() => void save('html')} data-testid="export-html">
            Web page (this branch, read-only)
          </button>
        </div>
      ) : null}
      {error ? (
        <span className="visually-hidden" role="alert">
          Export failed: {error}
        </span>
      ) : null}
    </div>
  );
}
