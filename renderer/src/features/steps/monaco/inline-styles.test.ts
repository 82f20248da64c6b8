import { describe, expect, it } from 'vitest';
import { moveStyleAttributes } from './inline-styles.js';

describe("Monaco's HTML under the CSP", () => {
  it('moves the style attributes of tags aside', () => {
    expect(moveStyleAttributes('<div style="top:0px;height:16px;" class="view-line"><span class="mtk1">x</span></div>')).toBe(
      '<div data-coda-style="top:0px;height:16px;" class="view-line"><span class="mtk1">x</span></div>',
    );
    expect(moveStyleAttributes('<div class="a" style="left:0px"></div><div style="top:1px"></div>')).toBe(
      '<div class="a" data-coda-style="left:0px"></div><div data-coda-style="top:1px"></div>',
    );
  });

  it('leaves text that only looks like a style attribute as it is (Monaco escapes "<" in text)', () => {
    const html = '<span class="mtk1">&lt;p style="color:red"&gt; and style="x"</span>';
    expect(moveStyleAttributes(html)).toBe(html);
  });
});
