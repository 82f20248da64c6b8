import { describe, expect, it } from 'vitest';
import { findPreset } from '../../../shared/index.js';
import { cleartextRemoteHost, originOf } from '../providers/config.js';
import { decideKey, type KeyState } from './key-binding.js';

const vllm = findPreset('vllm')!;
const openai = findPreset('openai')!;
const state = (over: Partial<KeyState>): KeyState => ({
  preset: openai,
  address: undefined,
  savedKey: undefined,
  keyOrigin: undefined,
  env: { apiKey: undefined, baseUrl: undefined },
  canSaveKeys: false,
  ...over,
});

describe('which key goes where', () => {
  it('tells plain http to another machine from https and from this machine', () => {
    expect(cleartextRemoteHost('http://192.168.1.20:8000/v1')).toBe('192.168.1.20');
    expect(cleartextRemoteHost('http://localhost.example.com/v1')).toBe('localhost.example.com');
    for (const local of ['http://localhost:11434/v1', 'http://127.0.0.5:8000', 'http://[::1]:1234/v1', 'https://10.0.0.1/v1', undefined]) {
      expect(cleartextRemoteHost(local)).toBeNull();
    }
    // Default ports and paths do not make another origin; a port does.
    expect(originOf('https://api.openai.com:443/v1')).toBe(originOf('https://api.openai.com'));
    expect(originOf('http://127.0.0.1:8000/v1')).not.toBe(originOf('http://127.0.0.1:8001/v1'));
  });

  it("sends the environment's key to the address the environment pairs it with, plain http to the LAN included", () => {
    const lan = 'http://192.168.1.20:8000/v1';
    expect(decideKey(state({ preset: vllm, address: lan, env: { apiKey: 'vllm-key', baseUrl: lan } }))).toEqual({ kind: 'send', apiKey: 'vllm-key' });
    // Without a base URL in the environment, the key belongs to the provider's own address.
    expect(decideKey(state({ address: 'https://api.openai.com/v1', env: { apiKey: 'sk-env', baseUrl: undefined } }))).toEqual({
      kind: 'send',
      apiKey: 'sk-env',
    });
    expect(decideKey(state({ address: 'https://proxy.example.com/v1', env: { apiKey: 'sk-env', baseUrl: undefined }, canSaveKeys: true }))).toEqual({
      kind: 'withhold',
      reason:
        "The key in OPENAI_API_KEY is sent only to https://api.openai.com, OpenAI's own address; it is not sent to https://proxy.example.com. Set OPENAI_BASE_URL to use another address with it, or save a key for this address here.",
    });
  });

  it('sends a saved key only to the origin it was saved for, and never over plain http to another machine', () => {
    const saved = { savedKey: 'sk-saved', keyOrigin: 'https://gateway.example.com' };
    expect(decideKey(state({ ...saved, address: 'https://gateway.example.com/openai/v1' }))).toEqual({ kind: 'send', apiKey: 'sk-saved' });
    expect(decideKey(state({ ...saved, address: 'https://attacker.example.net/v1' }))).toMatchObject({ kind: 'withhold' });
    expect(decideKey(state({ savedKey: 'k', keyOrigin: 'http://10.0.0.9:8000', address: 'http://10.0.0.9:8000/v1' }))).toMatchObject({
      kind: 'withhold',
      reason: expect.stringContaining('over plain http to 10.0.0.9'),
    });
  });
});
