import { CodaError } from '../../../../shared/index.js';
import { chatgptFormat } from './chatgpt.js';
import { claudeFormat } from './claude.js';
import { codaFormat } from './coda.js';
import { librechatFormat } from './librechat.js';
import { openwebuiFormat } from './openwebui.js';
import type { ImportFormat, ImportFormatId } from './types.js';

export type { ImportFormat, ImportFormatId };

/** Every format an import can read, by id: adding a format is one line here (and its id in types.ts). */
const BY_ID: Record<ImportFormatId, ImportFormat> = {
  coda: codaFormat,
  chatgpt: chatgptFormat,
  claude: claudeFormat,
  openwebui: openwebuiFormat,
  librechat: librechatFormat,
};

/** In the order `--from auto` tries them. */
export const IMPORT_FORMATS: readonly ImportFormat[] = Object.values(BY_ID);

export function formatById(id: ImportFormatId): ImportFormat {
  return BY_ID[id];
}

const known = () => IMPORT_FORMATS.map((f) => `${f.id} (${f.label})`).join(', ');

/** The format whose sniff recognizes the start of a file (`--from auto`), or an error listing the known formats. */
export function detectFormat(head: string): ImportFormat {
  const format = IMPORT_FORMATS.find((f) => f.sniff(head));
  if (!format) {
    throw new CodaError(
      'validation',
      `Cannot import this file: it is not an export this app recognizes (it reads: ${known()}). Choose its format instead of auto-detect.`,
    );
  }
  return format;
}
