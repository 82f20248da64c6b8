import { describe, expect, it } from 'vitest';
import { normalizeMathDelimiters } from './math-delimiters.js';

describe('normalizeMathDelimiters', () => {
  it('turns \\( \\) into inline math and keeps the backslashes inside', () => {
    expect(normalizeMathDelimiters('Speed \\(v = 3\\,\\text{m/s}\\) here.')).toBe('Speed $v = 3\\,\\text{m/s}$ here.');
  });

  it('turns \\[ \\] on their own lines into a display block', () => {
    expect(normalizeMathDelimiters('Before\n\n\\[\n\\int_0^1 x\\,dx\n\\]\n\nAfter')).toBe('Before\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nAfter');
    expect(normalizeMathDelimiters('\\[ a^2 + b^2 = c^2 \\]')).toBe('$$\na^2 + b^2 = c^2\n$$');
  });

  it('keeps \\[ \\] inside a sentence in the line', () => {
    expect(normalizeMathDelimiters('where \\[x\\] is')).toBe('where $$x$$ is');
  });

  it('leaves code spans, code blocks and existing math untouched', () => {
    const text = 'Use `\\(x\\)` or\n\n```tex\n\\[ y \\]\n```\n\nand $\\(z\\)$ but \\(w\\)';
    expect(normalizeMathDelimiters(text)).toBe('Use `\\(x\\)` or\n\n```tex\n\\[ y \\]\n```\n\nand $\\(z\\)$ but $w$');
  });

  it('leaves text without the delimiters as it is', () => {
    expect(normalizeMathDelimiters('Just $x$ and \\* a star')).toBe('Just $x$ and \\* a star');
  });
});
