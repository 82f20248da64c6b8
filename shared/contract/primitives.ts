import { z } from 'zod';

/* The smallest shared types, in a module of their own so any contract module can use them without an import cycle. */

/** UUIDv7 made on the device: sortable by creation time, never reused. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** Milliseconds since the epoch. */
export const Timestamp = z.number().int().nonnegative();
