import { describe, expect, it } from 'vitest';
import { markdownToPlainText } from './plain-text.js';

describe('markdownToPlainText', () => {
  it('drops the markup and keeps what the reader sees', () => {
    const md = '# Title\n\nSome **bold**, _italic_, `code` and a [link](https://example.com).\n\n> quoted\n\n---\n\nEnd';
    expect(markdownToPlainText(md)).toBe('Title\n\nSome bold, italic, code and a link.\n\nquoted\n\nEnd');
  });

  it('keeps lists as lines with their bullets or numbers, and task boxes', () => {
    expect(markdownToPlainText('- a\n- b\n  - c\n\n3. x\n4. y\n\n- [x] done\n- [ ] todo')).toBe('• a\n• b\n  • c\n\n3. x\n4. y\n\n• [x] done\n• [ ] todo');
  });

  it('keeps code and math as their source, backslashes included', () => {
    expect(markdownToPlainText('Speed \\(3\\,\\text{m/s}\\)\n\n```js\nconst a = 1;\n```\n\n$$\nx^2\n$$')).toBe('Speed 3\\,\\text{m/s}\n\nconst a = 1;\n\nx^2');
  });

  it('writes a table as tab-separated rows', () => {
    expect(markdownToPlainText('| a | b |\n|---|---|\n| 1 | **2** |')).toBe('a\tb\n1\t2');
  });

  it('shows raw HTML as the text it is', () => {
    expect(markdownToPlainText('Look: <b>not bold</b>')).toBe('Look: <b>not bold</b>');
  });
});

describe('dollar signs', () => {
  it('reads an escaped dollar as a dollar sign, not as math', () => {
    expect(markdownToPlainText('From \\$5 to \\$10')).toBe('From $5 to $10');
  });
});
