import type { ExportedChat } from '../../../../shared/index.js';

/**
 * The seam between reading a file and understanding it. The reader (electron/core/import) streams the file's list of
 * conversations one item at a time, with the untrusted-input checks (nesting, string length, prototype keys) already
 * applied to each item; a format turns one item into Coda chats (our export schema), which then go through the same
 * validation, conflict handling and one-transaction write as a Coda export.
 */
export type ImportFormatId = 'coda' | 'chatgpt' | 'claude' | 'openwebui' | 'librechat';

/** Where a file keeps its conversations. */
export type ItemsLocation =
  /** The file is a JSON array of conversations (ChatGPT's and Claude's conversations.json, Open WebUI's export). */
  | { kind: 'root-array' }
  /** The conversations are the array under this top-level key (a Coda export's "chats"). */
  | { kind: 'key'; key: string }
  /** The whole file is one conversation (LibreChat's per-chat export). */
  | { kind: 'root-object' };

export interface ImportFormat {
  id: ImportFormatId;
  /** Shown in reports and errors: "a ChatGPT export". */
  label: string;
  items: ItemsLocation;
  /**
   * Whether the start of a file (its first 64 KB as text, possibly cut mid-token) looks like this format; used by
   * `--from auto`. Must not throw.
   */
  sniff(head: string): boolean;
  /**
   * One conversation item of the file as Coda chats (usually one). Throws a CodaError('validation') naming the item
   * (index, its id or title) and the field when the item cannot be understood. Ids are derived deterministically
   * from the source's ids, so importing the same file twice meets the conflict choice (skip, replace, copy).
   */
  toChats(item: unknown, index: number): ExportedChat[];
  /**
   * For a file whose conversations sit under a key: checks the top-level scalars read so far (a Coda export's `format`
   * and `version`, in whatever order the file has them). Throws a CodaError('validation') for a value that is there
   * and wrong; returns whether everything it needs is there (so chats may be accepted). With `final` (the whole file
   * was read) a missing value throws too.
   */
  checkHead?(head: Readonly<Record<string, unknown>>, final: boolean): boolean;
}
