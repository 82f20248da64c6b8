import { z } from 'zod';

/** Every failure that crosses the contract carries one of these codes, so callers branch on codes, never on message text. */
export const ErrorCode = z.enum([
  'validation',
  'unknown_method',
  'not_found',
  'conflict',
  'provider_not_configured',
  // Normalized provider failures: every adapter maps its SDK's errors onto these.
  'provider_auth',
  'provider_permission',
  'model_not_found',
  'provider_rate_limited',
  'context_too_long',
  'provider_overloaded',
  'provider_server',
  'invalid_request',
  'provider_error',
  /** The agent used all the steps it may take for one answer. */
  'step_limit',
  /** Sending would pass a spending limit the user set to block (Settings › Usage and budgets). */
  'budget_exceeded',
  /** A tool server wants the user to sign in (OAuth) before it answers. */
  'sign_in_required',
  'network',
  'timeout',
  'cancelled',
  'storage',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CodaErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Field-level problems for `validation`, retry hints for rate limits, and similar structured detail. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type CodaErrorShape = z.infer<typeof CodaErrorShape>;

/** The one error type thrown inside core and serialised as `{code, message}` over every transport. */
export class CodaError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CodaError';
    this.code = code;
    this.details = details;
  }

  toShape(): CodaErrorShape {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

/** Provider failures worth another attempt (after a pause), here or on a fallback provider. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'provider_rate_limited',
  'provider_overloaded',
  'provider_server',
  'network',
  'timeout',
]);

export function toErrorShape(error: unknown): CodaErrorShape {
  if (error instanceof CodaError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message || 'Unexpected error' };
}
