import { describe, expect, it } from 'vitest';
import { externalHref } from './links.js';

describe('externalHref', () => {
  it('lets http, https and mailto addresses through', () => {
    expect(externalHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(externalHref('http://example.com')).toBe('http://example.com/');
    expect(externalHref('mailto:someone@example.com')).toBe('mailto:someone@example.com');
  });

  it('refuses script, file, data and relative addresses', () => {
    for (const href of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<b>x</b>',
      'vbscript:x',
      '/settings',
      'page.html',
      '#top',
      '',
      null,
      undefined,
    ]) {
      expect(externalHref(href)).toBeNull();
    }
  });
});
