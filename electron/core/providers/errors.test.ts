import { describe, expect, it } from 'vitest';
import { normalizeFailure, redactKeys } from './errors.js';

const who = { id: 'openai', label: 'OpenAI', keyHint: 'check OPENAI_API_KEY' };

describe('normalized provider errors', () => {
  it('never repeats a key the provider quoted back', () => {
    const error = normalizeFailure(who, {
      status: 401,
      message: 'Incorrect API key provided: sk-proj-abc123****************wxyz. You can find your API key at …',
    });
    expect(error.code).toBe('provider_auth');
    expect(error.message).not.toMatch(/sk-proj|abc123|wxyz/);
    expect(redactKeys('key AIzaSyD-1234567890abcdef was refused')).toBe('key [key] was refused');
  });

  it('maps each kind of failure to its code', () => {
    expect(normalizeFailure(who, { status: 403 }).code).toBe('provider_permission');
    expect(normalizeFailure(who, { status: 404 }).code).toBe('model_not_found');
    expect(normalizeFailure(who, { status: 400, message: "This model's maximum context length is 128000 tokens" }).code).toBe('context_too_long');
    expect(normalizeFailure(who, { status: 400, message: 'API key not valid. Please pass a valid API key.' }).code).toBe('provider_auth');
    expect(normalizeFailure(who, { status: 400, message: 'temperature must be at most 2' }).code).toBe('invalid_request');
    expect(normalizeFailure(who, { status: 529 }).code).toBe('provider_overloaded');
    expect(normalizeFailure(who, { status: 502 }).code).toBe('provider_server');
    expect(normalizeFailure(who, { type: 'overloaded_error' }).code).toBe('provider_overloaded');
  });
});
