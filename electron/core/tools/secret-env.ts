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
  // camelCase and dashed names (githubToken, api-key) split into parts like SNAKE_CASE ones.
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]+/g, '_');
  return SECRET_PART.test(parts) || SECRET_END.test(parts);
}
