import { describe, expect, it } from 'vitest';
import { isSecretEnvName, isSecretEnvVariable, isSecretQueryName } from './secret-names.js';

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

  it.each([
    'LOG_LEVEL',
    'KEYBOARD_LAYOUT',
    'HOTKEY',
    'MONKEY_MODE',
    'PATH',
    'PATHEXT',
    'BYPASS_CACHE',
    'OAUTH_CLIENT_ID',
    'TOKENIZER',
    'HOME',
    'NODE_ENV',
    'GREETING',
  ])('%s is not', (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });
});

describe('isSecretEnvVariable', () => {
  it.each([
    ['DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/prod'],
    ['MONGODB_URI', 'mongodb+srv://app:s3cret@cluster0.example.net/db'],
    ['REDIS_URL', 'redis://:p4ss@cache:6379/0'],
    ['SENTRY_DSN', 'https://abc123@o1.ingest.sentry.io/42'],
    ['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0/B0/xyz'],
    ['AZURE_STORAGE_CONNECTION_STRING', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b'],
    ['UPSTREAM', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['SESSION', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['GITHUB_TOKEN', 'anything'],
  ])('%s=%s is secret', (name, value) => {
    expect(isSecretEnvVariable(name, value)).toBe(true);
  });

  it.each([
    ['DATABASE_URL', 'postgres://db.internal:5432/prod'],
    ['API_BASE_URL', 'https://api.example.com/v1'],
    ['LOG_LEVEL', 'debug'],
    ['GITHUB_TOKEN', ''],
    ['ALLOWED_DIR', '/home/ann/projects'],
  ])('%s=%s is not', (name, value) => {
    expect(isSecretEnvVariable(name, value)).toBe(false);
  });
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

  it.each([
    'region',
    'private',
    'sort_key',
    'key_id',
    'keyword',
    'token_type',
    'tokenizer',
    'monkey',
    'hotkey',
    'auth_type',
    'client_id',
    'X-Amz-Credential',
    'format',
    'page',
  ])('%s is not', (name) => {
    expect(isSecretQueryName(name)).toBe(false);
  });
});
