import { describe, expect, it } from 'vitest';
import { noSecrets } from '../../settings/tool-secrets.js';
import { createScrubber } from './scrubber.js';
import { secretValuesOf } from './secret-values.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('scrubbing secret values', () => {
  it('replaces a value as given, URL- and form-encoded, JSON-escaped and in base64 at any offset', () => {
    const secret = 'p@ss word/"quoted"+42';
    const s = createScrubber([secret]);
    expect(s.text(`raw ${secret}.`)).toBe('raw ••••.');
    expect(s.text(`?k=${encodeURIComponent(secret)}`)).toBe('?k=••••');
    expect(s.text(`body=${new URLSearchParams({ v: secret }).toString().slice(2)}`)).toBe('body=••••');
    expect(s.text(JSON.stringify({ password: secret }))).toBe('{"password":"••••"}');
    expect(s.text(b64(secret))).toBe('••••');
    for (const user of ['a', 'ab', 'abc', 'ci-bot']) {
      const pair = b64(`${user}:${secret}`);
      const scrubbed = s.text(`Basic ${pair}`);
      expect(scrubbed).toContain('••••');
      // At most the characters that mix the user name's last bits or the padding stay.
      expect(scrubbed.replace(/^Basic /, '').replace('••••', '').length).toBeLessThanOrEqual(pair.length - b64(secret).length + 4);
    }
  });

  it('takes the credential out of an authorization value, so either may be echoed', () => {
    const s = createScrubber(['Bearer abcdef123456', `Basic ${b64('me:hunter22')}`]);
    expect(s.text('token abcdef123456 refused')).toBe('token •••• refused');
    expect(s.text('user me:hunter22 / password hunter22')).toBe('user •••• / password ••••');
    expect(s.text('Authorization: Bearer abcdef123456')).toBe('Authorization: ••••');
    // A password of two words is one secret, not two.
    expect(createScrubber(['correct horse']).text('a horse, not a correct horse')).toBe('a horse, not a ••••');
  });

  it('leaves values too short to replace, and text without secrets, as they are', () => {
    const s = createScrubber(['abc', '']);
    expect(s.empty).toBe(true);
    expect(s.text('abc abc')).toBe('abc abc');
    const value = { a: ['abc'] };
    expect(s.value(value)).toBe(value);
  });

  it('scrubs every string of a structured value, keys too, and keeps its shape', () => {
    const s = createScrubber(['sk-live-12345678']);
    const when = new Date(0);
    expect(s.value({ list: ['sk-live-12345678', 3, null, { 'sk-live-12345678': true }], ok: false, when })).toEqual({
      list: ['••••', 3, null, { '••••': true }],
      ok: false,
      when,
    });
  });

  it("knows a server's secrets from its record and from a configuration that is not saved", () => {
    const record = {
      ...noSecrets(),
      env: { GITHUB_TOKEN: 'ghp_saved' },
      oauth: { tokens: { access_token: 'oauth-access', token_type: 'Bearer', refresh_token: 'oauth-refresh' } },
    };
    const command = secretValuesOf({ id: 'c', label: 'c', command: 'x', args: [], env: { LOG_LEVEL: 'debug', API_KEY: 'from-cli-config' } }, record);
    expect(command).toEqual(expect.arrayContaining(['ghp_saved', 'oauth-access', 'oauth-refresh', 'from-cli-config']));
    expect(command).not.toContain('debug');
    const service = secretValuesOf(
      {
        id: 's',
        label: 's',
        transport: 'openapi',
        origin: null,
        specUrl: 'https://x.test/spec?api_key=k%2Fey1',
        auth: { type: 'basic', username: 'me', password: 'pw-123' },
      },
      noSecrets(),
    );
    expect(service).toEqual(expect.arrayContaining(['k%2Fey1', 'k/ey1', 'pw-123', 'me:pw-123']));
  });
});
