/**
 * Which environment variables of a stdio server hold secrets, judged by name: servers imported from Claude Desktop
 * get their tokens this way (GITHUB_PERSONAL_ACCESS_TOKEN, BRAVE_API_KEY, SLACK_BOT_TOKEN…). Those values go to the
 * key store like header values; the rest of the environment stays readable in preferences and in Settings.
 *
 * Erring towards "secret" costs little (the value is masked and can be replaced); the other way leaks a token into
 * preferences.json, so the rule is broad: a secret word as a part of the name, or at its very end.
 */
const SECRET_PART = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|PASS|PAT|KEY|APIKEY|AUTH|CREDENTIALS?|PRIVATE)(_|$)/i;
/** Run-together names: GHTOKEN, PGPASSWORD, OPENAIAPIKEY, CLIENTSECRET (but not HOTKEY or MONKEY). */
const SECRET_END = /(TOKEN|SECRET|PASSWORD|PASSWD|APIKEY)$/i;

export function isSecretEnvName(name: string): boolean {
  const parts = snakeCase(name);
  return SECRET_PART.test(parts) || SECRET_END.test(parts);
}

/** Names that hold a secret without saying so in a secret word: connection strings, DSNs, webhooks, cookies. */
const SECRET_NAME_MORE = /(^|_)(DSN|CONNECTION_?STRING|CONN_?STR|WEBHOOK_?URL|PASSPHRASE|COOKIE|JWT|BEARER)(_|$)/i;
/** Values that are a credential whatever their name: well-known token shapes. */
const TOKEN_SHAPES = [
  /^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}$/, // a JWT
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}$/, // GitHub tokens
  /^github_pat_\w{20,}$/,
  /^xox[abposr]-[\w-]{10,}$/, // Slack
  /^sk-[\w-]{16,}$/, // OpenAI-style keys
  /^AKIA[0-9A-Z]{16}$/, // AWS access key ids
];

/**
 * Whether a variable holds a secret: by its name (see above), or by its value: a connection string with a
 * password in it (`postgres://app:hunter2@db/prod` in `DATABASE_URL`), or a well-known token shape.
 */
export function isSecretEnvVariable(name: string, value: string): boolean {
  if (value === '') return false;
  return isSecretEnvName(name) || SECRET_NAME_MORE.test(snakeCase(name)) || hasPassword(value) || TOKEN_SHAPES.some((shape) => shape.test(value.trim()));
}

function hasPassword(value: string): boolean {
  try {
    return new URL(value).password !== '';
  } catch {
    // Not a URL the WHATWG parser takes (some drivers' strings): look for "scheme://user:password@".
    return /^[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value);
  }
}

/**
 * Which query parameters of a server's address hold secrets (`…/mcp?api_key=…`, `?token=…`, `?access_token=…`).
 * Query names are short and often ordinary words (`private=true`, `sort_key=name`, `token_type=…`), and a false alarm
 * hides a value the user may want to read in the address, so only clear secret names count: a whole name from the
 * list, or a name ending in a secret word (`access_token`, `client_secret`, `x-api-key`, `Subscription-Key`).
 * `code` is there because Azure Functions, which host MCP servers, take their function key as `?code=`; `sig` and
 * `signature` sign pre-signed URLs, which makes them as good as a password while they last.
 */
const SECRET_QUERY_NAME = /^(key|token|secret|password|passwd|auth|sig|signature|code|jwt|apikey|credentials?)$/;
const SECRET_QUERY_END =
  /_(token|secret|password|passwd|apikey|signature)$|(^|_)(api|access|secret|private|subscription|app|auth|client|license|master|signing)_?key$/;

export function isSecretQueryName(name: string): boolean {
  const parts = snakeCase(name).toLowerCase();
  return SECRET_QUERY_NAME.test(parts) || SECRET_QUERY_END.test(parts);
}

/** camelCase and dashed names (githubToken, api-key) split into parts like SNAKE_CASE ones. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]+/g, '_');
}
