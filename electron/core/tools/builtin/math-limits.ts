/*
 * What one math request may make. Apart from math-tools.ts so the tool server can describe them without loading
 * mathjs (only its math worker does).
 */

/** Most elements a matrix or array made inside one expression may have (a million numbers: about 16 MB). */
export const MAX_ELEMENTS = 1_000_000;
/** Longest string an expression may build. */
export const MAX_STRING = 1_000_000;
/** Most elements of a matrix given back as the result (the model needs a summary, not a million numbers). */
export const MAX_RESULT_ELEMENTS = 10_000;
/** Longest result text given back. */
export const MAX_RESULT_CHARS = 100_000;
/** Longest expression accepted. */
export const MAX_EXPRESSION = 2_000;
