import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { ElicitationSchema } from '../../../../shared/index.js';
import type { ConnectionServices } from '../sources/services.js';
import { PausableDeadline } from './pausable-deadline.js';
import { completeAnswer } from './answer.js';

const MAX_MESSAGE_CHARS = 10_000;
/** Questions one server may have open at once (one per call it runs in parallel, in practice). */
const MAX_OPEN_QUESTIONS = 3;

/**
 * One MCP connection's side of elicitation: answers the server's `elicitation/create` requests through the host's
 * hook, and keeps the connection's call time limits from running while the user is being asked.
 */
export class ElicitationResponder {
  /**
   * Form mode only (no URL mode). The SDK's own `applyDefaults` is not asked for: defaults are filled in by
   * completeAnswer before the answer is checked, so a required field that has a default passes.
   */
  static readonly capabilities = { elicitation: { form: {} } };

  private readonly deadlines = new Set<PausableDeadline>();
  private open = 0;

  /** Registers the request handler on a client (before it connects, so a question right after start is heard). */
  listen(client: Client, server: { id: string; label: string }, services: ConnectionServices | undefined): void {
    client.setRequestHandler(ElicitRequestSchema, async (request, extra): Promise<ElicitResult> => {
      const params = request.params;
      // The SDK refuses URL mode itself, since it is not declared; the check keeps the types honest.
      if (params.mode === 'url' || !services?.elicit) return { action: 'decline' };
      const parsed = ElicitationSchema.safeParse(params.requestedSchema);
      // A form beyond the limits, an essay of a message, or a pile of questions at once: not put to the user.
      if (!parsed.success || params.message.length > MAX_MESSAGE_CHARS || this.open >= MAX_OPEN_QUESTIONS) return { action: 'decline' };
      this.pause();
      try {
        const answer = await services.elicit(
          { serverId: server.id, serverLabel: server.label, message: params.message, requestedSchema: parsed.data },
          extra.signal,
        );
        if (answer.action !== 'accept') return { action: answer.action };
        return { action: 'accept', content: completeAnswer(server.label, parsed.data, answer.content ?? {}) };
      } finally {
        this.resume();
      }
    });
  }

  /** A time limit for one call that stops counting while a question of this server is open; release it after. */
  deadline(limitMs: number): PausableDeadline {
    const deadline = new PausableDeadline(limitMs);
    for (let i = 0; i < this.open; i++) deadline.pause();
    this.deadlines.add(deadline);
    return deadline;
  }

  release(deadline: PausableDeadline): void {
    deadline.clear();
    this.deadlines.delete(deadline);
  }

  // A question cannot be tied to one call (the protocol does not say which call asked), so every call of this
  // server waits while any of its questions is open.
  private pause(): void {
    this.open++;
    for (const deadline of this.deadlines) deadline.pause();
  }

  private resume(): void {
    this.open--;
    for (const deadline of this.deadlines) deadline.resume();
  }
}
