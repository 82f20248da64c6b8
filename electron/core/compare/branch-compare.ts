import { CodaError, type CompareMessage, type CompareResult, type Message } from '../../../shared/index.js';
import { textOf } from '../chat/chat-service.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { BranchesRepository } from '../store/repositories/branches.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import { compareBranches, sharedPrefix } from './align.js';

/** Deep enough for any real chat: a path is read whole, since the branches may part at its first message. */
const PATH_LIMIT = 100_000;

export interface BranchCompareDeps {
  messages: MessagesRepository;
  branches: BranchesRepository;
  agent: AgentRepository;
}

/**
 * Reads the two branches through `leftId` and `rightId` (each down to its latest leaf, as switching to it would show)
 * and compares them from the last message they share.
 */
export async function compareInSession(d: BranchCompareDeps, sessionId: string, leftId: string, rightId: string): Promise<CompareResult> {
  const [leftLeaf, rightLeaf] = await Promise.all([leafOf(d, sessionId, leftId), leafOf(d, sessionId, rightId)]);
  if (leftLeaf === rightLeaf) throw new CodaError('validation', 'Both messages lead to the same branch: pick two on branches that part somewhere.');
  const [leftPath, rightPath] = await Promise.all([d.messages.path(leftLeaf, PATH_LIMIT), d.messages.path(rightLeaf, PATH_LIMIT)]);
  const shared = sharedPrefix(leftPath.messages, rightPath.messages);
  // Tool calls are counted for what is compared only (and the shared message above it).
  const compared = [...leftPath.messages.slice(Math.max(0, shared - 1)), ...rightPath.messages.slice(shared)].filter((m) => m.role === 'assistant');
  const calls = new Map<string, number>();
  if (compared.length > 0) {
    const { toolCalls } = await d.agent.forMessages(compared.map((m) => m.id));
    for (const call of toolCalls) calls.set(call.messageId, (calls.get(call.messageId) ?? 0) + 1);
  }
  const toCompare = (m: Message): CompareMessage => ({
    id: m.id,
    role: m.role,
    text: textOf(m),
    provider: m.provider,
    model: m.model,
    status: m.status,
    usage: m.usage,
    costUsd: m.costUsd,
    timing: m.timing,
    toolCalls: calls.get(m.id) ?? 0,
  });
  const result = compareBranches(leftPath.messages.map(toCompare), rightPath.messages.map(toCompare));
  return {
    ancestor: result.ancestor,
    left: { messageId: leftId, leafId: leftLeaf, totals: result.left },
    right: { messageId: rightId, leafId: rightLeaf, totals: result.right },
    rows: result.rows,
  };
}

async function leafOf(d: BranchCompareDeps, sessionId: string, messageId: string): Promise<string> {
  const message = await d.messages.require(messageId);
  if (message.sessionId !== sessionId) throw new CodaError('validation', `The message ${messageId} belongs to another chat.`);
  const leaf = await d.branches.latestLeafUnder(messageId);
  if (!leaf) throw new CodaError('not_found', `The message ${messageId} was deleted; restore it to compare its branch.`);
  return leaf;
}
