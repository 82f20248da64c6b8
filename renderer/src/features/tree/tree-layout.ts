import { hierarchy, tree, type HierarchyPointNode } from 'd3';
import type { TreeNode } from '../../../../shared/index.js';

/** Spacing of the drawn tree: siblings side by side, each reply one row lower. */
export const NODE_WIDTH = 150;
export const ROW_HEIGHT = 64;

export interface PlacedNode {
  node: TreeNode;
  x: number;
  y: number;
  /** Live children (drawn or collapsed). */
  childCount: number;
  /** Messages hidden under it because the user collapsed it (0 when expanded). */
  hiddenCount: number;
  /** On the path from the root to the active leaf: the conversation shown in the chat. */
  active: boolean;
}

export interface PlacedLink {
  from: PlacedNode;
  to: PlacedNode;
  active: boolean;
}

export interface TreeLayout {
  /** In drawing (pre-)order: a parent before its children, siblings oldest first. */
  nodes: PlacedNode[];
  links: PlacedLink[];
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
}

interface Item {
  node: TreeNode | null;
  children: Item[];
}

/**
 * Places a chat's messages as a tree (d3-hierarchy's tidy tree): a virtual root above the chat's first messages,
 * children under their parent, oldest on the left. Children of `collapsed` messages are left out (counted in
 * `hiddenCount`). A message whose parent is missing is drawn as a first message. Pure: same input, same output.
 */
export function layoutTree(nodes: readonly TreeNode[], activeLeafId: string | null, collapsed: ReadonlySet<string> = new Set()): TreeLayout {
  const items = new Map<string, Item>();
  for (const node of nodes) items.set(node.id, { node, children: [] });
  const root: Item = { node: null, children: [] };
  for (const node of nodes) {
    const item = items.get(node.id)!;
    const parent = node.parentId ? items.get(node.parentId) : undefined;
    (parent ?? root).children.push(item);
  }

  const active = new Set<string>();
  for (let id = activeLeafId; id && !active.has(id); id = items.get(id)?.node?.parentId ?? null) active.add(id);

  const subtreeSize = (item: Item): number => {
    let count = 0;
    const stack = [...item.children];
    while (stack.length > 0) {
      const next = stack.pop()!;
      count++;
      stack.push(...next.children);
    }
    return count;
  };

  const laidOut = tree<Item>().nodeSize([NODE_WIDTH, ROW_HEIGHT])(hierarchy(root, (item) => (item.node && collapsed.has(item.node.id) ? null : item.children)));

  const placed = new Map<HierarchyPointNode<Item>, PlacedNode>();
  const out: PlacedNode[] = [];
  const bounds = { minX: 0, maxX: 0, minY: 0, maxY: 0 };
  let first = true;
  laidOut.eachBefore((point) => {
    const { node } = point.data;
    if (!node) return;
    const hidden = collapsed.has(node.id) ? subtreeSize(point.data) : 0;
    // The virtual root sits at depth 0: move everything up one row so the first messages are at y = 0.
    const p: PlacedNode = {
      node,
      x: point.x,
      y: point.y - ROW_HEIGHT,
      childCount: point.data.children.length,
      hiddenCount: hidden,
      active: active.has(node.id),
    };
    placed.set(point, p);
    out.push(p);
    if (first) {
      Object.assign(bounds, { minX: p.x, maxX: p.x, minY: p.y, maxY: p.y });
      first = false;
    }
    bounds.minX = Math.min(bounds.minX, p.x);
    bounds.maxX = Math.max(bounds.maxX, p.x);
    bounds.minY = Math.min(bounds.minY, p.y);
    bounds.maxY = Math.max(bounds.maxY, p.y);
  });
  const links: PlacedLink[] = [];
  for (const [point, to] of placed) {
    const from = point.parent ? placed.get(point.parent) : undefined;
    if (from) links.push({ from, to, active: from.active && to.active });
  }
  return { nodes: out, links, bounds };
}

/** The message to focus when the user presses an arrow key on `id`: its parent, a child, or a neighbour in its row. */
export function neighbour(layout: TreeLayout, id: string, key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight'): string | null {
  const here = layout.nodes.find((p) => p.node.id === id);
  if (!here) return null;
  if (key === 'ArrowUp') return here.node.parentId && layout.nodes.some((p) => p.node.id === here.node.parentId) ? here.node.parentId : null;
  if (key === 'ArrowDown') {
    const children = layout.nodes.filter((p) => p.node.parentId === id);
    return (children.find((p) => p.active) ?? children[0])?.node.id ?? null;
  }
  const row = layout.nodes.filter((p) => p.y === here.y).sort((a, b) => a.x - b.x);
  const at = row.indexOf(here);
  return row[at + (key === 'ArrowLeft' ? -1 : 1)]?.node.id ?? null;
}
