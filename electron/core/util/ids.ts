import { v7 } from 'uuid';

/** A UUIDv7: time-ordered, made on this device, never reused. */
export function newId(): string {
  return v7();
}
