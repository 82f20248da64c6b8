import type { CodaClient, RunEnd, RunEvent } from '../../../shared/index.js';
import { promptApproval } from './approval-prompt.js';
import type { CliContext } from './context.js';
import { answerOnTerminal } from './elicit-prompt.js';
import { writeJsonLine } from './output.js';
import { openTerminal } from './terminal.js';

export interface FollowedAnswer {
  end: RunEnd;
  /** The user pressed Ctrl-C: the answer was stopped (and saved as far as it got). */
  stopped: boolean;
}

/**
 * Follows one answer on the terminal: text to stdout (or every event as a JSON line), what happens around it to
 * stderr, tool approvals and tool servers' questions asked one at a time. Ctrl-C stops the answer (a second one
 * quits at once).
 */
export async function followAnswer(cli: CliContext, client: CodaClient, runId: string, json: boolean): Promise<FollowedAnswer> {
  let stopping = false;
  const interrupt = () => {
    if (stopping) {
      // The second Ctrl-C quits at once; the answer is marked interrupted at the next start.
      terminal.close();
      cli.err.write('\n');
      process.exit(130);
    }
    stopping = true;
    void client.call('chat.stop', { runId }).catch(() => undefined);
  };
  const runOver = new AbortController();
  const terminal = openTerminal({ input: process.stdin, output: cli.err }, interrupt);
  const questions = new Map<string, AbortController>();
  process.on('SIGINT', interrupt);
  try {
    const end = await client.followRun(runId, {
      onEvent: (event) => {
        if (json) writeJsonLine(cli.out, event);
        else showEvent(cli, event);
        if (event.type === 'approval-request') {
          // Each answer goes to the call whose request was on screen, by that request's own call id.
          void terminal
            .queue(() => promptApproval(event, terminal, runOver.signal))
            .then((allow) => client.call('chat.approve', { runId, toolCallId: event.toolCallId, allow }))
            .catch(() => undefined);
        } else if (event.type === 'elicitation-request') {
          const closed = new AbortController();
          questions.set(event.elicitationId, closed);
          runOver.signal.addEventListener('abort', () => closed.abort(), { once: true });
          void terminal.queue(() => answerOnTerminal(client, runId, event, terminal, closed.signal)).catch(() => undefined);
        } else if (event.type === 'elicitation-answered') {
          questions.get(event.elicitationId)?.abort();
        }
      },
    });
    return { end, stopped: stopping };
  } finally {
    runOver.abort();
    process.off('SIGINT', interrupt);
    terminal.close();
  }
}

/** Text mode: the answer on stdout; tools, retries and fallbacks on stderr, so a pipe gets only the answer. */
function showEvent(cli: CliContext, event: RunEvent): void {
  switch (event.type) {
    case 'text-delta':
      cli.out.write(event.text);
      return;
    case 'tool-call':
      cli.err.write(`\n[tool] ${event.name} ${event.arguments}\n`);
      return;
    case 'tools-unavailable':
      for (const s of event.servers) cli.err.write(`[tools] ${s.label} is not available for this answer: ${s.message}\n`);
      return;
    case 'context-warning':
      cli.err.write(`[context] ${event.message}\n`);
      return;
    case 'retry':
      cli.err.write(`[retry] ${event.error.message} Trying again in ${(event.delayMs / 1000).toFixed(1)} s.\n`);
      return;
    case 'fallback':
      cli.err.write(
        `[fallback] ${event.from.provider}/${event.from.model} failed: ${event.error.message}\n[fallback] ${event.to.provider}/${event.to.model} answers instead.\n`,
      );
      return;
    default:
      return;
  }
}
