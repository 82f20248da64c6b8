import {
  findModel,
  modelCatalog,
  priceOf,
  providerPresets,
  toErrorShape,
  type CodaErrorShape,
  type ModelInfo,
  type ModelPrice,
} from '../../../shared/index.js';
import type { ProviderRegistry } from './registry.js';

export interface ListedModel {
  provider: string;
  id: string;
  label: string;
  /** Limits and capabilities are known only for catalog models. */
  info: Omit<ModelInfo, 'provider' | 'id' | 'label'> | null;
  /** USD per million tokens (the user's price when set, else the list price, 0 on a local server); null when unknown. */
  price: ModelPrice | null;
  /** Where the entry comes from: the curated catalog, the provider's own list, or both. */
  source: 'catalog' | 'provider' | 'both';
}

const CACHE_MS = 60 * 60_000;

/**
 * Model lists: each configured provider's own list (cached for an hour, refreshed on demand) merged with the
 * curated catalog, which knows context windows, limits and prices that the lists lack.
 */
export class ModelDirectory {
  private readonly cache = new Map<string, { at: number; ids: { id: string; label: string }[] }>();

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly priceOverrides: () => Readonly<Record<string, ModelPrice>> = () => ({}),
  ) {}

  async list(
    options: { provider?: string | undefined; refresh?: boolean } = {},
  ): Promise<{ models: ListedModel[]; errors: { provider: string; error: CodaErrorShape }[] }> {
    const described = this.providers.describe().filter((p) => (options.provider ? p.id === options.provider : p.configured));
    const models: ListedModel[] = [];
    const errors: { provider: string; error: CodaErrorShape }[] = [];
    await Promise.all(
      described.map(async (p) => {
        const preset = providerPresets.find((x) => x.id === p.id);
        let fetched: { id: string; label: string }[] = [];
        if (p.configured && preset?.listsModels) {
          try {
            fetched = await this.fetch(p.id, options.refresh ?? false);
          } catch (error) {
            errors.push({ provider: p.id, error: toErrorShape(error) });
          }
        }
        models.push(...merge(p.id, fetched, this.priceOverrides()));
      }),
    );
    models.sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
    return { models, errors };
  }

  private async fetch(providerId: string, refresh: boolean): Promise<{ id: string; label: string }[]> {
    const cached = this.cache.get(providerId);
    if (!refresh && cached && Date.now() - cached.at < CACHE_MS) return cached.ids;
    const ids = await this.providers.get(providerId).listModels(AbortSignal.timeout(15_000));
    this.cache.set(providerId, { at: Date.now(), ids });
    return ids;
  }
}

function merge(provider: string, fetched: { id: string; label: string }[], overrides: Readonly<Record<string, ModelPrice>>): ListedModel[] {
  const out = new Map<string, ListedModel>();
  for (const model of modelCatalog.filter((m) => m.provider === provider)) {
    const { provider: _p, id, label, ...info } = model;
    out.set(id, { provider, id, label, info, price: priceOf(provider, id, overrides), source: 'catalog' });
  }
  for (const model of fetched) {
    const known = out.get(model.id);
    if (known) known.source = 'both';
    else {
      const info = findModel(provider, model.id);
      out.set(model.id, { provider, id: model.id, label: model.label, info: info ?? null, price: priceOf(provider, model.id, overrides), source: 'provider' });
    }
  }
  return [...out.values()];
}
