import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../../../../shared/index.js';
import { layoutTree, neighbour, NODE_WIDTH, ROW_HEIGHT } from './tree-layout.js';

const node = (id: string, parentId: string | null, role: TreeNode['role'] = 'user', deleted = false): TreeNode => ({
  id,
  parentId,
  role,
  model: role === 'assistant' ? 'gpt-4.1-mini' : null,
  excerpt: id,
  tokens: null,
  costUsd: null,
  createdAt: 0,
  deleted,
});

// q → a1 | a2 (a retry), a2 → q2 → a3
const chat = [node('q', null), node('a1', 'q', 'assistant'), node('a2', 'q', 'assistant'), node('q2', 'a2'), node('a3', 'q2', 'assistant')];
const at = (layout: ReturnType<typeof layoutTree>, id: string) => layout.nodes.find((p) => p.node.id === id)!;

describe('layoutTree', () => {
  it('puts each reply one row below its message and alternatives side by side, oldest on the left', () => {
    const layout = layoutTree(chat, 'a3');
    expect(layout.nodes.map((p) => p.node.id)).toEqual(['q', 'a1', 'a2', 'q2', 'a3']);
    expect(at(layout, 'q').y).toBe(0);
    expect(at(layout, 'a1').y).toBe(ROW_HEIGHT);
    expect(at(layout, 'a2').y).toBe(ROW_HEIGHT);
    expect(at(layout, 'a3').y).toBe(3 * ROW_HEIGHT);
    expect(at(layout, 'a2').x - at(layout, 'a1').x).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(layout.links).toHaveLength(4);
  });

  it('highlights the path from the first message to the active leaf, and only it', () => {
    const layout = layoutTree(chat, 'a3');
    expect(layout.nodes.filter((p) => p.active).map((p) => p.node.id)).toEqual(['q', 'a2', 'q2', 'a3']);
    expect(layout.links.filter((l) => l.active).map((l) => l.to.node.id)).toEqual(['a2', 'q2', 'a3']);
    expect(
      layoutTree(chat, 'a1')
        .nodes.filter((p) => p.active)
        .map((p) => p.node.id),
    ).toEqual(['q', 'a1']);
  });

  it('leaves out what is under a collapsed message and says how many are hidden', () => {
    const layout = layoutTree(chat, 'a3', new Set(['a2']));
    expect(layout.nodes.map((p) => p.node.id)).toEqual(['q', 'a1', 'a2']);
    expect(at(layout, 'a2')).toMatchObject({ hiddenCount: 2, childCount: 1 });
    expect(layoutTree(chat, 'a3', new Set(['q'])).nodes.map((p) => p.node.id)).toEqual(['q']);
  });

  it('draws several first messages and orphans (parent missing) as roots, deleted ones included', () => {
    const layout = layoutTree([node('r1', null), node('r2', null, 'user', true), node('x', 'gone')], null);
    expect(layout.nodes.map((p) => [p.node.id, p.y])).toEqual([
      ['r1', 0],
      ['r2', 0],
      ['x', 0],
    ]);
    expect(layout.nodes.some((p) => p.active)).toBe(false);
    expect(layoutTree([], null)).toEqual({ nodes: [], links: [], bounds: { minX: 0, maxX: 0, minY: 0, maxY: 0 } });
  });

  it('moves focus with the arrow keys: up to the parent, down along the active path, sideways within a row', () => {
    const layout = layoutTree(chat, 'a3');
    expect(neighbour(layout, 'a2', 'ArrowUp')).toBe('q');
    expect(neighbour(layout, 'q', 'ArrowDown')).toBe('a2');
    expect(neighbour(layout, 'a2', 'ArrowLeft')).toBe('a1');
    expect(neighbour(layout, 'a1', 'ArrowRight')).toBe('a2');
    expect(neighbour(layout, 'a1', 'ArrowLeft')).toBeNull();
    expect(neighbour(layout, 'q', 'ArrowUp')).toBeNull();
  });
});
