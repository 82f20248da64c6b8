import { findPreset, type MethodOutput } from '../../../../shared/index.js';

type ListedModel = MethodOutput<'models.list'>['models'][number];

/** One model the picker offers, with what it shows beside the name. */
export interface ModelOption {
  /** "provider/model": what the picker reports and tests find. */
  value: string;
  provider: string;
  providerLabel: string;
  id: string;
  label: string;
  badges: string[];
  /** "$0.40 / $1.60" per million tokens in and out, "free", or "price unknown". */
  price: string;
}

/** The options to pick from, grouped by provider in list order; the current choice is offered even when no list has it. */
export function modelOptions(models: readonly ListedModel[], current: { provider: string; model: string }): ModelOption[] {
  const listed = models.some((m) => m.provider === current.provider && m.id === current.model);
  const all: ListedModel[] = listed
    ? [...models]
    : [{ provider: current.provider, id: current.model, label: current.model, info: null, price: null, source: 'catalog' }, ...models];
  return all
    .map((m) => ({
      value: `${m.provider}/${m.id}`,
      provider: m.provider,
      providerLabel: findPreset(m.provider)?.label ?? m.provider,
      id: m.id,
      label: m.label,
      badges: m.info
        ? [
            m.info.tools ? 'tools' : '',
            m.info.images ? 'vision' : '',
            m.info.reasoning ? 'reasoning' : '',
            `${formatTokens(m.info.contextWindow)} context`,
          ].filter(Boolean)
        : [],
      price: formatPrice(m.price),
    }))
    .sort((a, b) => a.providerLabel.localeCompare(b.providerLabel) || (a.provider === b.provider ? 0 : a.provider.localeCompare(b.provider)));
}

/** Options whose provider, id or name contain every word of the query, ignoring case. */
export function filterOptions(options: readonly ModelOption[], query: string): ModelOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  return options.filter((o) => {
    const text = `${o.providerLabel} ${o.provider} ${o.id} ${o.label}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

function formatTokens(count: number): string {
  return count >= 1_000_000 ? `${+(count / 1_000_000).toFixed(1)}M` : `${Math.round(count / 1000)}k`;
}

function formatPrice(price: ListedModel['price']): string {
  if (!price) return 'price unknown';
  if (price.input === 0 && price.output === 0) return 'free';
  const usd = (value: number) => `$${value.toFixed(value < 0.01 ? 3 : 2)}`;
  return `${usd(price.input)} / ${usd(price.output)}`;
}
