import { describe, expect, it } from 'vitest';
import { definitionsOf, isClosedFence, mayReferToDefinitions, splitBlocks, type BlockSplit } from './blocks.js';

const raws = (split: BlockSplit) => split.blocks.map((b) => b.raw);

/** Feeds `text` a few characters at a time, as a stream does, keeping the previous split each time. */
function streamed(text: string, step: number): BlockSplit {
  let split: BlockSplit | undefined;
  for (let end = step; end < text.length + step; end += step) split = splitBlocks(text.slice(0, end), split);
  if (!split) throw new Error('empty text');
  return split;
}

const ANSWER = [
  '# Title',
  '',
  'A paragraph with `code` and $x^2$.',
  '',
  '- one',
  '- two',
  '',
  '  still two',
  '',
  '```python',
  'def f():',
  '',
  '    return 1',
  '```',
  '',
  '$$',
  'a = b',
  '',
  'c = d',
  '$$',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  'Setext',
  '======',
  '',
  'The end.',
].join('\n');

describe('splitBlocks', () => {
  it('cuts an answer into its top-level blocks, covering the text exactly', () => {
    const split = splitBlocks(ANSWER);
    expect(split.blocks.map((b) => b.raw).join('')).toBe(ANSWER);
    expect(raws(split).map((r) => r.trim().split('\n')[0])).toEqual([
      '# Title',
      'A paragraph with `code` and $x^2$.',
      '- one',
      '```python',
      '$$',
      '| a | b |',
      'Setext',
      'The end.',
    ]);
    for (const block of split.blocks) expect(ANSWER.slice(block.start, block.start + block.raw.length)).toBe(block.raw);
  });

  it('keeps a code block with blank lines, and display math with blank lines, as one block each', () => {
    const split = splitBlocks('```\na\n\n\nb\n```\n\n$$\nx\n\ny\n$$\n');
    expect(split.blocks).toHaveLength(2);
  });

  it('gives the same blocks when the text arrives in small pieces as when split at once', () => {
    const whole = raws(splitBlocks(ANSWER));
    for (const step of [1, 3, 7, 20]) expect(raws(streamed(ANSWER, step))).toEqual(whole);
  });

  it('reuses the finished blocks of the previous split (same objects) and re-parses only the tail', () => {
    const first = splitBlocks(ANSWER);
    const next = splitBlocks(`${ANSWER}\n\nOne more paragraph.`, first);
    expect(next.blocks.slice(0, first.blocks.length - 2)).toEqual(first.blocks.slice(0, first.blocks.length - 2));
    expect(next.blocks[0]).toBe(first.blocks[0]);
    expect(next.blocks.at(-1)?.raw).toBe('One more paragraph.');
  });

  it('turns the last paragraph into a heading or a table when the next line says so', () => {
    const para = splitBlocks('Intro\n\nHeading');
    const heading = splitBlocks('Intro\n\nHeading\n---\n\nafter', para);
    expect(raws(heading)).toEqual(['Intro\n\n', 'Heading\n---\n\n', 'after']);
  });

  it('splits from scratch when the text is not a continuation of the previous one', () => {
    const first = splitBlocks('a\n\nb\n\nc\n\nd');
    expect(raws(splitBlocks('x\n\ny', first))).toEqual(['x\n\n', 'y']);
  });

  it('has no blocks for an empty or blank text', () => {
    expect(splitBlocks('').blocks).toEqual([]);
    expect(splitBlocks('\n\n').blocks).toEqual([]);
  });

  it("collects the answer's link and footnote definitions, for blocks that refer to them", () => {
    const split = splitBlocks('See [the docs][docs] and a note.[^1]\n\n[docs]: https://example.com/docs\n\n```\nx = [1]\n```\n\nMore.\n\n[^1]: The note.\n');
    expect(split.blocks.map((b) => b.type)).toEqual(['paragraph', 'definition', 'code', 'paragraph', 'footnoteDefinition']);
    // Code keeps its text as written; a paragraph without brackets has nothing to resolve.
    expect(split.blocks.map(mayReferToDefinitions)).toEqual([true, false, false, false, false]);
    expect(definitionsOf(split)).toBe('[docs]: https://example.com/docs\n\n[^1]: The note.');
  });
});

describe('isClosedFence', () => {
  const last = (text: string) => splitBlocks(text).blocks.at(-1)!;
  it('knows a code block is finished once its closing fence has arrived', () => {
    expect(isClosedFence(last('Intro\n\n```ts\nconst x = 1;\n'))).toBe(false);
    expect(isClosedFence(last('Intro\n\n```ts\nconst x = 1;\n``'))).toBe(false);
    expect(isClosedFence(last('Intro\n\n```ts\nconst x = 1;\n```'))).toBe(true);
    expect(isClosedFence(last('Intro\n\n````md\n```\ninner\n```\n'))).toBe(false);
    expect(isClosedFence(last('Intro\n\n````md\n```\ninner\n```\n````\n'))).toBe(true);
    expect(isClosedFence(last('~~~\nplain\n~~~'))).toBe(true);
  });
  it('knows a display-math block is finished once its closing $$ has arrived', () => {
    expect(isClosedFence(last('$$\nx^2\n'))).toBe(false);
    expect(isClosedFence(last('$$\nx^2\n$$\n'))).toBe(true);
  });
  it('never calls other blocks finished', () => {
    expect(isClosedFence(last('    indented code\n'))).toBe(false);
    expect(isClosedFence(last('A paragraph ending ```'))).toBe(false);
  });
});
