import { CodaError } from '../../../../shared/index.js';
import { codaFormat } from './coda.js';
import type { ImportFormat, ImportFormatId } from './types.js';

export type { ImportFormat, ImportFormatId };

/** Every format an import can read, in the order `--from auto` tries them. Adding a format is one line here. */
export const IMPORT_FORMATS: readonly ImportFormat[] = [codaFormat];

/** Names for every format id, registered or not, so an error can say which one is not available. */
const NAMES: Record<ImportFormatId, string> = {
  coda: 'a Coda export',
  chatgpt: 'a ChatGPT export',
  claude: 'a Claude export',
  openwebui: 'an Open WebUI export',
  librechat: 'a LibreChat export',
};

const known = () => IMPORT_FORMATS.map((f) => `${f.id} (${f.label})`).join(', ');

/** The registered format of this id, or a clear error when its reader is not in this version. */
export function formatById(id: ImportFormatId): ImportFormat {
  const format = IMPORT_FORMATS.find((f) => f.id === id);
  if (!format) throw new CodaError('validation', `Importing ${NAMES[id]} is not available in this version; it reads: ${known()}.`);
  return format;
}

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
