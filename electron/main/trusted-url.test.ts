import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trustedUrlCheck } from './trusted-url.js';

const rendererFile = path.resolve('/opt/Coda Agent/resources/app.asar/out/renderer/index.html');
const page = pathToFileURL(rendererFile).href;

describe('which pages may use the Coda API', () => {
  it('trusts the built page, with any query or fragment, and no other file', () => {
    const trusted = trustedUrlCheck(rendererFile, null);
    expect(trusted(page)).toBe(true);
    expect(trusted(`${page}?view=settings#top`)).toBe(true);
    expect(trusted(pathToFileURL(path.resolve('/tmp/index.html')).href)).toBe(false);
    expect(trusted(pathToFileURL(`${rendererFile}.evil.html`).href)).toBe(false);
    expect(trusted('http://localhost:5173/')).toBe(false);
    expect(trusted('not a url')).toBe(false);
  });

  it('trusts the dev server by exact origin in development, never a look-alike', () => {
    const trusted = trustedUrlCheck(rendererFile, 'http://localhost:5173');
    expect(trusted('http://localhost:5173/')).toBe(true);
    expect(trusted('http://localhost:5173/src/main.tsx?t=1')).toBe(true);
    expect(trusted(page)).toBe(true);
    for (const lookAlike of [
      'http://localhost:5173.evil.com/',
      'http://localhost:51730/',
      'http://localhost:5173@evil.com/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'ws://localhost:5173/',
    ]) {
      expect(trusted(lookAlike), lookAlike).toBe(false);
    }
  });

  it('never takes a file address as the dev server (every file has the same "null" origin)', () => {
    const trusted = trustedUrlCheck(rendererFile, 'file:///tmp/dev/index.html');
    expect(trusted('file:///etc/passwd')).toBe(false);
    expect(trusted(page)).toBe(true);
  });
});
