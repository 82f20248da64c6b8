import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../../../../shared/index.js';
import { branchToMerge } from './merge-branch.js';

const node = (id: string, parentId: string | null, deleted = false): TreeNode => ({
  id,
  parentId,
  role: 'user',
  model: null,
  excerpt: id,
  tokens: null,
  costUsd: null,
  createdAt: 0,
  deleted,
});

// a - b - c - d (shown) ; b - e - f ; f - g (deleted)
const tree = [node('a', null), node('b', 'a'), node('c', 'b'), node('d', 'c'), node('e', 'b'), node('f', 'e'), node('g', 'f', true)];

describe('what "Merge into…" offers', () => {
  it('offers a sibling branch from where it leaves the branch shown down to the message', () => {
    expect(branchToMerge(tree, 'd', 'f')).toEqual({ messages: [tree[4], tree[5]], diverges: true });
  });

  it('offers the whole path of a message on the branch shown (for another chat), and never a deleted message', () => {
    expect(branchToMerge(tree, 'd', 'c')).toEqual({ messages: [tree[0], tree[1], tree[2]], diverges: false });
    expect(branchToMerge(tree, 'd', 'g').messages.map((n) => n.id)).toEqual(['e', 'f']);
  });
});
