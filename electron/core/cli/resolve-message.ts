import { CodaError, type CodaClient } from '../../../shared/index.js';

/**
 * A message of `sessionId` (a question or an answer, on any branch) whose id starts with `prefix`, as chats are
 * named; none is not_found, several are a conflict.
 */
export async function resolveMessageInChat(client: CodaClient, sessionId: string, prefix: string): Promise<string> {
  const { nodes } = await client.call('sessions.tree', { sessionId });
  const found = nodes.filter((n) => n.id.startsWith(prefix.trim()));
  if (found.length === 0) throw new CodaError('not_found', `No message starting with ${prefix} in chat ${sessionId}.`);
  if (found.length > 1) throw new CodaError('conflict', `${found.length} messages of chat ${sessionId} start with ${prefix}; give more of the id.`);
  return found[0]!.id;
}
