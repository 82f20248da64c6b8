import { describe, expect, it } from 'vitest';
import { isPermissionAllowed } from './permissions.js';

const page = 'file:///opt/Coda%20Agent/resources/app.asar/out/renderer/index.html';
const trusted = (url: string) => url === page;

describe('permissions the page gets', () => {
  it('lets the app page write to the clipboard, for the copy buttons', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', page, trusted)).toBe(true);
  });

  it('refuses reading the clipboard and every other permission', () => {
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fileSystem']) {
      expect(isPermissionAllowed(permission, page, trusted)).toBe(false);
    }
  });

  it('refuses the clipboard to any other page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/', trusted)).toBe(false);
  });
});
