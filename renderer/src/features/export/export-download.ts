import type { ExportFileFormat } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

const MIME: Record<ExportFileFormat, string> = { json: 'application/json', md: 'text/markdown', html: 'text/html' };

/**
 * Builds an export file piece by piece (export.piece: header, each chat, footer) into a Blob and hands it to the
 * browser as a download; the desktop app saves it the same way. One chat crosses the bridge at a time, so a large
 * export reports progress and never arrives as one message.
 */
export async function downloadExport(options: {
  chatIds: string[];
  format: ExportFileFormat;
  fileName: string;
  onProgress?: (done: number, total: number) => void;
}): Promise<void> {
  const { chatIds, format } = options;
  const parts: string[] = [(await api.call('export.piece', { format, piece: { kind: 'header' } })).text];
  for (const [index, sessionId] of chatIds.entries()) {
    parts.push((await api.call('export.piece', { format, piece: { kind: 'chat', sessionId, index } })).text);
    options.onProgress?.(index + 1, chatIds.length);
  }
  parts.push((await api.call('export.piece', { format, piece: { kind: 'footer' } })).text);
  saveBlob(new Blob(parts, { type: `${MIME[format]};charset=utf-8` }), options.fileName);
}

/** Hands a Blob to the browser (or the desktop app, which saves it the same way) as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoked after the click has been handled: the download has its own copy by then.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** A file name from a chat's title: letters, digits and dashes only, never a path. */
export function exportFileName(title: string, format: ExportFileFormat): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chat';
  return `${base}.${format}`;
}
