import { z } from 'zod';

/**
 * Correction of the local token count per provider and model, learnt from billed usage. Providers other than
 * OpenAI tokenize differently from o200k (Claude's and Gemini's vocabularies give other counts for the same text),
 * so after each answer the count the builder used is compared with the input tokens the provider billed, and the
 * ratio between them is kept: smoothed (one odd request moves it little), bounded (a wrong report cannot make the
 * budget absurd) and persisted (a restart does not start from scratch).
 */

/** A ratio never leaves these bounds: real tokenizers differ from o200k by tens of per cent, not by factors. */
export const CALIBRATION_MIN = 0.5;
export const CALIBRATION_MAX = 2;
/** The weight of a new sample in the running ratio (exponential smoothing). */
export const CALIBRATION_WEIGHT = 0.3;
/** Requests smaller than this say more about a provider's fixed wrapping than about its tokenizer: not learnt from. */
export const CALIBRATION_MIN_TOKENS = 200;

const Entry = z.object({ ratio: z.number().min(CALIBRATION_MIN).max(CALIBRATION_MAX), samples: z.number().int().nonnegative() });
type Entry = z.infer<typeof Entry>;
const Saved = z.record(z.string(), Entry);

/** Where the ratios are kept (the store's `meta` table; a plain map in tests). */
export interface CalibrationStorage {
  load(): Promise<string | null>;
  save(value: string): Promise<void>;
}

/** OpenAI's models are counted with their own encoding (counting.ts): nothing to correct. */
export const isExactlyCounted = (provider: string) => provider === 'openai';

const keyOf = (provider: string, model: string) => `${provider}/${model}`;

export class TokenCalibration {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly storage: CalibrationStorage | null,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The saved ratios; a missing or unreadable record starts empty (ratios are a refinement, never a failure). */
  static async load(storage: CalibrationStorage): Promise<TokenCalibration> {
    const text = await storage.load().catch(() => null);
    return new TokenCalibration(storage, new Map(Object.entries(parseSaved(text))));
  }

  /** Ratios kept in memory only (tests, benchmarks). */
  static inMemory(): TokenCalibration {
    return new TokenCalibration(null, new Map());
  }

  /** What the local count of this model's prompt is multiplied by: 1 until billed usage has said otherwise. */
  ratio(provider: string, model: string): number {
    if (isExactlyCounted(provider)) return 1;
    return this.entries.get(keyOf(provider, model))?.ratio ?? 1;
  }

  samples(provider: string, model: string): number {
    return this.entries.get(keyOf(provider, model))?.samples ?? 0;
  }

  /**
   * One request's local count (`estimated`, before any correction) against what the provider billed for it.
   * Returns whether the ratio changed.
   */
  observe(provider: string, model: string, estimated: number, billed: number): boolean {
    if (isExactlyCounted(provider) || estimated < CALIBRATION_MIN_TOKENS || billed <= 0) return false;
    const sample = clamp(billed / estimated);
    const key = keyOf(provider, model);
    const previous = this.entries.get(key);
    const ratio = previous ? clamp(previous.ratio + CALIBRATION_WEIGHT * (sample - previous.ratio)) : sample;
    this.entries.set(key, { ratio: Math.round(ratio * 10_000) / 10_000, samples: (previous?.samples ?? 0) + 1 });
    this.persist();
    return true;
  }

  /** Resolves when every change so far is saved (shutdown, tests). */
  flushed(): Promise<void> {
    return this.saving;
  }

  private persist(): void {
    const storage = this.storage;
    if (!storage) return;
    const text = JSON.stringify(Object.fromEntries(this.entries));
    this.saving = this.saving.then(() => storage.save(text)).catch(() => undefined);
  }
}

function parseSaved(text: string | null): Record<string, Entry> {
  try {
    return text ? Saved.parse(JSON.parse(text)) : {};
  } catch {
    return {};
  }
}

const clamp = (ratio: number) => Math.min(CALIBRATION_MAX, Math.max(CALIBRATION_MIN, ratio));
