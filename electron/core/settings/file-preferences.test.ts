import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/core.js';
import { filePreferences, PREFERENCE_DEFAULTS } from './preferences.js';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function folder(): Promise<string> {
  const { dir, remove } = await tempDir('coda-prefs-');
  cleanup = remove;
  return dir;
}

describe('preferences.json in serve mode and the CLI', () => {
  it('is written with every default in a new data folder, readable only by this user, as electron-store writes it', async () => {
    const dir = await folder();
    filePreferences(dir);
    const file = path.join(dir, 'preferences.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(PREFERENCE_DEFAULTS, undefined, '\t'));
  });

  it('keeps what is set, and sees what another process (the desktop app) wrote since', async () => {
    const dir = await folder();
    const preferences = filePreferences(dir);
    preferences.set('retiredToolServerIds', ['old']);
    expect(filePreferences(dir).get('retiredToolServerIds')).toEqual(['old']);

    const file = path.join(dir, 'preferences.json');
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...written, toolPolicies: { coda__evaluate_math: 'deny' } }));
    expect(preferences.get('toolPolicies')).toEqual({ coda__evaluate_math: 'deny' });
    expect(preferences.get('retiredToolServerIds')).toEqual(['old']);
    preferences.set('presets', []);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('says which file is broken when it is not JSON, rather than starting from defaults over it', async () => {
    const dir = await folder();
    const file = path.join(dir, 'preferences.json');
    await writeFile(file, '{"defaults": ');
    expect(() => filePreferences(dir)).toThrow(`${file} is not valid JSON`);
    expect(await readFile(file, 'utf8')).toBe('{"defaults": ');
  });
});
