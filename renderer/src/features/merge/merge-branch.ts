import type { TreeNode } from '../../../../shared/index.js';

/** The path from the first message to `id`, oldest first (empty when `id` is not in the tree). */
export function pathTo(nodes: readonly TreeNode[], id: string | null): TreeNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path: TreeNode[] = [];
  const seen = new Set<string>();
  let node = id ? byId.get(id) : undefined;
  while (node && !seen.has(node.id)) {
    seen.add(node.id);
    path.push(node);
    node = node.parentId ? byId.get(node.parentId) : undefined;
  }
  return path.reverse();
}

/**
 * What "Merge into…" on a message offers: the messages of its branch from where it leaves the branch the chat shows,
 * down to it. A message on the branch shown diverges nowhere: then its whole path is offered (for another chat).
 */
export function branchToMerge(nodes: readonly TreeNode[], activeLeafId: string | null, messageId: string): { messages: TreeNode[]; diverges: boolean } {
  const shown = new Set(pathTo(nodes, activeLeafId).map((n) => n.id));
  const path = pathTo(nodes, messageId).filter((n) => !n.deleted);
  const own = path.filter((n) => !shown.has(n.id));
  return own.length > 0 ? { messages: own, diverges: true } : { messages: path, diverges: false };
}
