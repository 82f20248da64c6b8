import { CodaError, type ErrorCode } from '../../../shared/index.js';

/** What an adapter knows about a failed call, whatever SDK it came from. */
export interface ProviderFailure {
  status?: number | undefined;
  /** The provider's own error type or status name (e.g. "overloaded_error", "RESOURCE_EXHAUSTED"). */
  type?: string | undefined;
  message?: string | undefined;
  retryAfterSeconds?: number | undefined;
}

/** How the user fixes a key: in Settings in the app, through an environment variable in the CLI and serve mode. */
export interface ProviderIdentity {
  id: string;
  label: string;
  keyHint: string;
}

const CONTEXT_TOO_LONG = /context.{0,20}(length|window|limit)|too long|too many tokens|maximum.{0,20}tokens|prompt is too long|exceeds the (maximum|limit)/i;

/** Maps an HTTP failure onto one normalized code with a message the user can act on. */
export function normalizeFailure(who: ProviderIdentity, failure: ProviderFailure): CodaError {
  const { status, type = '', retryAfterSeconds } = failure;
  const said = failure.message?.trim() ? ` (${truncate(redactKeys(failure.message.trim()), 300)})` : '';
  const details: Record<string, unknown> = { provider: who.id };
  if (status !== undefined) details['status'] = status;
  if (retryAfterSeconds !== undefined) details['retryAfterSeconds'] = retryAfterSeconds;
  const make = (code: ErrorCode, message: string) => new CodaError(code, message, details);

  // Gemini answers a bad key with 400 INVALID_ARGUMENT and this wording, not with 401.
  if (
    status === 401 ||
    /authentication|unauthenticated|invalid.api.key/i.test(type) ||
    /api key not valid|invalid api key|incorrect api key/i.test(failure.message ?? '')
  ) {
    return make('provider_auth', `The ${who.label} key was rejected: ${who.keyHint}.${said}`);
  }
  if (status === 403 || /permission/i.test(type)) {
    return make('provider_permission', `The ${who.label} key is not allowed to do this (for this model or region)${said}.`);
  }
  if (status === 404 || /not_found/i.test(type)) {
    return make('model_not_found', `${who.label} does not know this model, or the endpoint is wrong${said}. Pick another model.`);
  }
  if (status === 429 || /rate_limit|resource_exhausted/i.test(type)) {
    const wait = retryAfterSeconds !== undefined ? ` Try again in ${Math.ceil(retryAfterSeconds)} s.` : ' Wait a moment and try again.';
    return make('provider_rate_limited', `${who.label} is rate limiting this key.${wait}${said}`);
  }
  if (status === 413 || ((status === 400 || /invalid/i.test(type)) && CONTEXT_TOO_LONG.test(failure.message ?? ''))) {
    return make(
      'context_too_long',
      `The conversation is too long for this model's context window${said}. Start a new chat or pick a model with a larger window.`,
    );
  }
  if (status === 529 || status === 503 || /overloaded|unavailable/i.test(type)) {
    return make('provider_overloaded', `${who.label} is overloaded right now${said}. Try again shortly.`);
  }
  if (status !== undefined && status >= 500) {
    return make('provider_server', `${who.label} had a server error (HTTP ${status})${said}. Try again.`);
  }
  if (status === 400 || status === 422 || /invalid/i.test(type)) {
    return make('invalid_request', `${who.label} refused the request${said}.`);
  }
  return make('provider_error', `${who.label} returned an error${status ? ` (HTTP ${status})` : ''}${said}.`);
}

export function cancelled(): CodaError {
  return new CodaError('cancelled', 'Stopped.');
}

export function networkFailure(who: ProviderIdentity, cause: unknown): CodaError {
  return new CodaError('network', `Could not reach ${who.label}: ${describe(cause)}. Check your connection and the provider's address.`, {
    provider: who.id,
  });
}

/** A stream that broke after it started: a cut connection or a chunk the SDK could not parse. */
export function brokenStream(who: ProviderIdentity, cause: unknown): CodaError {
  return new CodaError('network', `The answer from ${who.label} was cut off: ${describe(cause)}.`, { provider: who.id });
}

/** Reads retry-after (seconds or an HTTP date) or retry-after-ms from response headers. */
export function retryAfterFrom(headers: { get(name: string): string | null } | undefined | null): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms / 1000;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Providers sometimes quote the key they refused (partly masked or not); such quotes never reach storage or the UI. */
export function redactKeys(text: string): string {
  return text.replace(/\b(?:sk-ant-|sk-or-|sk-proj-|sk-|AIza|gsk_|xai-)[A-Za-z0-9_*\-.]{6,}/g, '[key]');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
