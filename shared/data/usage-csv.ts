import Papa from 'papaparse';
// Not re-exported from shared/index.ts: papaparse stays out of the CLI's cold start until a report is asked for.
import type { UsageRow } from '../contract/usage.js';

const COLUMNS = [
  'started_at',
  'chat',
  'chat_id',
  'message_id',
  'provider',
  'model',
  'status',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'estimated',
] as const;

/**
 * Usage rows as CSV (RFC 4180, a header row, times in UTC ISO 8601): the same file from the app and the CLI. Chat
 * titles that a spreadsheet would run as formulas (=, +, -, @) are escaped.
 */
export function usageCsv(rows: readonly UsageRow[]): string {
  return Papa.unparse(
    {
      fields: [...COLUMNS],
      data: rows.map((r) => [
        new Date(r.at).toISOString(),
        r.sessionTitle,
        r.sessionId,
        r.messageId,
        r.provider ?? '',
        r.model ?? '',
        r.status,
        r.inputTokens,
        r.cachedInputTokens,
        r.cacheWriteTokens,
        r.outputTokens,
        r.reasoningTokens,
        r.costUsd === null ? '' : r.costUsd.toFixed(6),
        r.estimated ? 'yes' : 'no',
      ]),
    },
    { escapeFormulae: true, newline: '\r\n' },
  );
}
