import type { RunEvent } from '../../../shared/index.js';
import { withoutControls } from './elicit-prompt.js';
import type { PromptIo } from './terminal.js';

export type ApprovalRequest = Extract<RunEvent, { type: 'approval-request' }>;

/** The call in full, as the user decides on it: server › tool, then its arguments pretty-printed. */
export function describeApproval(request: ApprovalRequest): string {
  const args = JSON.stringify(request.arguments ?? {}, null, 2) ?? 'null';
  // Names and arguments come from a tool server and the model: no control sequence may recolour or hide any of it.
  // (JSON already escapes them inside strings; the names are not JSON.)
  return withoutControls(
    `\nA tool call needs your approval:\n  ${request.serverLabel} › ${request.tool}${request.readOnly ? ' (read-only)' : ''}\n  arguments:\n${args.replace(/^/gm, '    ')}\n`,
  );
}

/**
 * Asks about one tool call until the answer is yes or no (Enter is no). Without a terminal nothing can be asked,
 * so the call is refused and the note says how to allow tools.
 */
export async function promptApproval(request: ApprovalRequest, io: PromptIo, signal: AbortSignal): Promise<boolean> {
  io.write(describeApproval(request));
  if (!io.ask) {
    io.write('Refused: there is no terminal to ask on (use --approve auto to allow tools).\n');
    return false;
  }
  for (;;) {
    const answer = (await io.ask('Allow this call? [y/N] ', signal)).trim();
    if (/^y(es)?$/i.test(answer)) return true;
    if (answer === '' || /^no?$/i.test(answer)) return false;
    io.write('Answer y (run it) or n (refuse it).\n');
  }
}
