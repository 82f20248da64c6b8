import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { TreeNode } from '../shared/index.js';
import { Rng } from './lib/prng.js';
import { createResult } from './lib/report.js';
import { summarize, target } from './lib/stats.js';
import type { BenchResult, Measure } from './lib/types.js';

/**
 * Laying out the conversation tree view (`layoutTree`, d3-hierarchy's tidy tree plus the active path) for a chat of
 * 1,000 messages with many branches: a seeded conversation where each exchange continues the latest one, and a
 * quarter of the answers are retried (one to three siblings) and a tenth of the questions edited. Also the re-layout
 * after collapsing a subtree and an arrow-key move (what a click or key press costs before React draws).
 */
export const description = 'tree view: layout of a 1,000-message conversation tree with branches (target ≤ 100 ms)';

const NODES = 1_000;
const ITERATIONS = 50;
const LAYOUT_TARGET_MS = 100;
// The renderer's own module, loaded by path: it belongs to the web project, which the bench's typecheck does not see.
const LAYOUT = '../renderer/src/features/tree/tree-layout.js';
interface Layout {
  nodes: unknown[];
  bounds: { maxY: number };
}
interface LayoutModule {
  layoutTree(nodes: readonly TreeNode[], activeLeafId: string | null, collapsed?: ReadonlySet<string>): Layout;
  neighbour(layout: Layout, id: string, key: 'ArrowUp'): string | null;
}
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function branchyChat(count: number, rng: Rng): TreeNode[] {
  const nodes: TreeNode[] = [];
  const add = (parentId: string | null, role: 'user' | 'assistant'): TreeNode => {
    const node: TreeNode = {
      id: `m${String(nodes.length).padStart(5, '0')}`,
      parentId,
      role,
      model: role === 'assistant' ? 'gpt-4.1-mini' : null,
      excerpt: `Message ${nodes.length} `.repeat(8).slice(0, 120),
      tokens: role === 'assistant' ? rng.int(100, 5_000) : null,
      costUsd: role === 'assistant' ? rng.int(1, 1_000) / 100_000 : null,
      createdAt: 1_700_000_000_000 + nodes.length * 1_000,
      deleted: rng.chance(0.02),
    };
    nodes.push(node);
    return node;
  };
  let tip: string | null = null;
  while (nodes.length < count) {
    const question = add(tip, 'user');
    if (rng.chance(0.1) && nodes.length < count) add(tip, 'user');
    let answer = add(question.id, 'assistant');
    if (rng.chance(0.25)) for (let i = rng.int(1, 3); i > 0 && nodes.length < count; i--) answer = add(question.id, 'assistant');
    tip = answer.id;
  }
  return nodes.slice(0, count);
}

export async function run(): Promise<BenchResult> {
  const { layoutTree, neighbour } = (await import(LAYOUT)) as LayoutModule;
  const nodes = branchyChat(NODES, new Rng(12));
  const leaf = nodes.at(-1)!.id;
  const time = (fn: () => unknown): number[] => {
    for (let i = 0; i < 5; i++) fn();
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const started = performance.now();
      fn();
      samples.push(performance.now() - started);
    }
    return samples;
  };
  const layout = layoutTree(nodes, leaf);
  const collapsed = new Set([nodes[nodes.length / 2]!.id, nodes[10]!.id]);
  const measures: Measure[] = [];
  const layoutMs = summarize(time(() => layoutTree(nodes, leaf)));
  measures.push({
    id: 'layout-1000',
    label: `layout of ${NODES} messages (${layout.nodes.length} placed, ${layout.bounds.maxY / 64 + 1} rows)`,
    ms: layoutMs,
    target: target(layoutMs, LAYOUT_TARGET_MS),
  });
  const collapsedMs = summarize(time(() => layoutTree(nodes, leaf, collapsed)));
  measures.push({ id: 'layout-collapsed', label: 'layout with two subtrees collapsed', ms: collapsedMs, target: target(collapsedMs, LAYOUT_TARGET_MS) });
  const arrowMs = summarize(time(() => neighbour(layout, leaf, 'ArrowUp')));
  measures.push({ id: 'arrow-key', label: 'next message for an arrow key', ms: arrowMs, target: null });
  console.log(measures.map((m) => `${m.label}: p95 ${m.ms.p95} ms`).join('\n'));
  return createResult('tree-layout', rootDir, { dataset: { messages: NODES, iterations: ITERATIONS, seed: 12 }, measures });
}
