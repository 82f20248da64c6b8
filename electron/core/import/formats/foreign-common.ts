import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { CodaError, defaultModels, findModel, type SessionSettings } from '../../../../shared/index.js';
import { DEFAULT_SETTINGS } from '../../settings/default-settings.js';

/*
 * What the importers of other apps' exports share: naming the item in errors, validating it with zod, deterministic
 * ids and timestamps, and the chat settings an imported chat starts with.
 */

/** The largest time a UUIDv7 holds (48 bits of ms). */
const MAX_UUID_MS = 2 ** 48 - 1;

/** Times after the year 9999 are nonsense in a chat export; they are treated as absent (an inherited time). */
const MAX_MS = 253_402_300_799_999;

function sane(ms: number): number | null {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS ? Math.round(ms) : null;
}

/** "conversation 3 (id abc, "Trip plan")": how errors name an item of the file. */
export function itemName(index: number, item: unknown, idKeys: readonly string[], titleKeys: readonly string[]): string {
  const record = item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
  const id = idKeys.map((key) => record[key]).find((value) => typeof value === 'string' && value !== '');
  const title = titleKeys.map((key) => record[key]).find((value) => typeof value === 'string' && value !== '');
  const about = [typeof id === 'string' ? `id ${clip(id)}` : null, typeof title === 'string' ? JSON.stringify(clip(title)) : null].filter(Boolean);
  return `conversation ${index}${about.length > 0 ? ` (${about.join(', ')})` : ''}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function invalid(message: string): CodaError {
  return new CodaError('validation', `Cannot import this file: ${message}`);
}

/** The item checked against the fields a format uses; the error names the item and the first field that is wrong. */
export function parseItem<T extends z.ZodType>(schema: T, item: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(the item itself)';
  throw invalid(`${where}: field ${field}: ${issue.message}.`);
}

/**
 * A UUIDv7-shaped id whose time is the source record's and whose other bits are a SHA-256 of the format and the
 * source's own id: the same file imported twice gives the same ids (so the conflict choice applies), and ids still
 * sort by time like the app's own.
 */
export function deterministicId(ms: number, key: string): string {
  const time = Math.min(Math.max(0, Math.floor(ms)), MAX_UUID_MS);
  const hash = createHash('sha256').update(key).digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(time, 0, 6);
  bytes[6] = 0x70 | (hash[0]! & 0x0f);
  bytes[7] = hash[1]!;
  bytes[8] = 0x80 | (hash[2]! & 0x3f);
  hash.copy(bytes, 9, 3, 10);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A hybrid-logical-clock stamp at the source's time, so a later change made here orders after the import. */
export function importStamp(ms: number): string {
  return `${Math.max(0, Math.floor(ms)).toString().padStart(15, '0')}-0000-imported`;
}

/** Seconds since the epoch (ChatGPT's fractional create_time) as whole ms; null when absent or not a finite number. */
export function secondsToMs(value: number | null | undefined): number | null {
  return typeof value === 'number' ? sane(value * 1000) : null;
}

/** An ISO date (Claude, LibreChat) as ms; null when absent or unreadable. */
export function isoToMs(value: string | null | undefined): number | null {
  if (typeof value !== 'string') return null;
  return sane(Date.parse(value));
}

/**
 * An epoch number of unknown unit as ms: Open WebUI writes seconds, but some of its versions wrote ms or ns. A date
 * after 1973 in seconds is below 1e11; in ms below 1e14; in µs below 1e17; else ns.
 */
export function epochToMs(value: number | null | undefined): number | null {
  if (typeof value !== 'number') return null;
  if (value < 1e11) return sane(value * 1000);
  if (value < 1e14) return sane(value);
  if (value < 1e17) return sane(value / 1000);
  return sane(value / 1e6);
}

/**
 * The chat's settings: the app's defaults with the source's provider and the first of its models the app can use (a
 * model of the catalog, or any model of a local server such as Ollama); otherwise the provider's default model,
 * otherwise the app's default.
 */
export function chatSettings(provider: string | null, ...models: (string | null)[]): SessionSettings {
  const usable = models.find((model) => provider && model && model.length <= 200 && (findModel(provider, model) || provider === 'ollama'));
  if (provider && usable) return { ...DEFAULT_SETTINGS, provider, model: usable };
  const fallback = provider ? defaultModels[provider] : undefined;
  if (provider && fallback) return { ...DEFAULT_SETTINGS, provider, model: fallback };
  return { ...DEFAULT_SETTINGS };
}

/** Text for a head of a file: the BOM and leading whitespace gone. */
export function headStart(head: string): string {
  return head.replace(/^\uFEFF/, '').trimStart();
}

/** Whether the text has `"key":` outside a string (inside one, JSON escapes the quotes, so this cannot match there). */
export function hasKey(head: string, key: string): boolean {
  return head.includes(`"${key}":`) || new RegExp(`"${key}"\\s+:`).test(head);
}
