import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../../shared/index.js';
import { checkChat } from '../chat-checks.js';
import { invalid } from '../limits.js';
import type { ImportFormat } from './types.js';

/** Coda's own JSON export (docs/decisions/0030): `{ format, version, exportedAt, chats: [...] }`, read back losslessly. */
export const codaFormat: ImportFormat = {
  id: 'coda',
  label: 'a Coda export',
  items: { kind: 'key', key: 'chats' },
  sniff: (head) => new RegExp(`"format"\\s*:\\s*"${EXPORT_FORMAT}"`).test(head),
  toChats: (item, index) => [checkChat(item, index)],
  checkHead(head, final) {
    if ('format' in head || final) {
      if (head.format !== EXPORT_FORMAT) {
        throw invalid(`it is not a Coda export (its "format" is ${JSON.stringify(head.format ?? null)}, not "${EXPORT_FORMAT}").`);
      }
    }
    if ('version' in head || final) {
      if (head.version !== EXPORT_VERSION) {
        throw invalid(
          `it is a Coda export of version ${JSON.stringify(head.version ?? null)}; this app reads version ${EXPORT_VERSION}. A newer app may read it.`,
        );
      }
    }
    return 'format' in head && 'version' in head;
  },
};
