import { describe, expect, it } from 'vitest';
import { isSecretEnvName, isSecretQueryName } from './secret-env.js';

describe('isSecretEnvName', () => {
  it.each([
    'GITHUB_PERSONAL_ACCESS_TOKEN',
    'GITHUB_TOKEN',
    'BRAVE_API_KEY',
    'SLACK_BOT_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'SSH_KEY_PASSPHRASE',
    'DB_PASSWORD',
    'PGPASSWORD',
    'GHTOKEN',
    'OPENAIAPIKEY',
    'GITHUB_PAT',
    'SMTP_PASS',
    'APIKEY',
    'api_key',
    'githubToken',
    'x-api-key',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'PRIVATE_KEY_PEM',
    'AUTH_HEADER',
  ])('%s is secret', (name) => {
    expect(isSecretEnvName(name)).toBe(true);
  });

  it.each(['LOG_LEVEL', 'KEYBOARD_LAYOUT', 'HOTKEY', 'MONKEY_MODE', 'PATH', 'PATHEXT', 'BYPASS_CACHE', 'OAUTH_CLIENT_ID', 'TOKENIZER', 'HOME', 'NODE_ENV', 'GREETING'])(
    '%s is not',
    (name) => {
      expect(isSecretEnvName(name)).toBe(false);
    },
  );
});

describe('isSecretQueryName', () => {
  it.each([
    'api_key',
    'apiKey',
    'apikey',
    'API_KEY',
    'key',
    'token',
    'access_token',
    'accessToken',
    'auth',
    'auth_token',
    'secret',
    'client_secret',
    'password',
    'x-api-key',
    'Subscription-Key',
    'private_key',
    'sig',
    'X-Amz-Signature',
    'code',
    'jwt',
  ])('%s is secret', (name) => {
    expect(isSecretQueryName(name)).toBe(true);
  });

  it.each(['region', 'private', 'sort_key', 'key_id', 'keyword', 'token_type', 'tokenizer', 'monkey', 'hotkey', 'auth_type', 'client_id', 'X-Amz-Credential', 'format', 'page'])(
    '%s is not',
    (name) => {
      expect(isSecretQueryName(name)).toBe(false);
    },
  );
});
