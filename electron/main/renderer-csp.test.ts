import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withoutMetaCsp } from '../core/serve/serve.js';
import { DEVELOPMENT_CSP, metaCsp, PACKAGED_CSP, rendererCsp, toDevelopmentPage, withMetaCsp } from './renderer-csp.js';

const page = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values]),
  );
}

describe("the page's Content-Security-Policy", () => {
  it('ships with a policy that opens no connection (IPC needs none) and allows no inline code', () => {
    expect(metaCsp(page)).toBe(PACKAGED_CSP);
    const policy = directives(PACKAGED_CSP);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(PACKAGED_CSP).not.toMatch(/ws:|wss:|unsafe-|\*/);
  });

  it("gets the dev server's policy in development only: its hot-reload socket on localhost and injected styles", () => {
    const plugin = rendererCsp();
    expect(plugin.apply).toBe('serve');
    expect(plugin.transformIndexHtml).toBe(toDevelopmentPage);
    const development = toDevelopmentPage(page);
    expect(metaCsp(development)).toBe(DEVELOPMENT_CSP);
    expect(development.replace(DEVELOPMENT_CSP, PACKAGED_CSP)).toBe(page);
    const policy = directives(DEVELOPMENT_CSP);
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://localhost:*', 'ws://127.0.0.1:*']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
  });

  it('refuses to set a policy on a page that has none, rather than leave it unprotected', () => {
    expect(() => withMetaCsp('<!doctype html><title>x</title>', DEVELOPMENT_CSP)).toThrow('no <meta http-equiv="Content-Security-Policy">');
  });

  it('is taken out by serve mode, which sends its own as a header', () => {
    const served = withoutMetaCsp(page);
    expect(metaCsp(served)).toBeNull();
    expect(served).not.toMatch(/content-security-policy/i);
    expect(served).toContain('<div id="root"></div>');
  });
});
