import { CodaError } from '../../../shared/index.js';

/** The limits an imported file is held to: it is untrusted input (see docs/decisions/0030 and 0033). */
export const IMPORT_LIMITS = {
  /** Files above this are refused before reading; memory does not grow with the file (it is streamed), time does. */
  maxBytes: 500 * 1024 * 1024,
  /** Arrays and objects inside each other; a real export nests about 12 deep (tool arguments add a few). */
  maxDepth: 64,
  /** One string (a message text, a tool output) of more than this is refused. */
  maxStringLength: 32 * 1024 * 1024,
};

export type ImportLimits = typeof IMPORT_LIMITS;

/** Keys that would reach Object.prototype if a later reader copied the object carelessly. */
export const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function invalid(message: string): CodaError {
  return new CodaError('validation', `Cannot import this file: ${message}`);
}

export const megabytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export function tooBig(size: number, limits: ImportLimits = IMPORT_LIMITS): CodaError {
  return invalid(`it is ${megabytes(size)}, larger than the ${megabytes(limits.maxBytes)} an import reads.`);
}
