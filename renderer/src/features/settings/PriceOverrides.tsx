import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { useSettings } from './settings-store.js';

type Price = MethodOutput<'providers.list'>['priceOverrides'][string];
const FIELDS: { key: keyof Price; label: string }[] = [
  { key: 'input', label: 'Input' },
  { key: 'cachedInput', label: 'Cached input' },
  { key: 'cacheWrite', label: 'Cache write' },
  { key: 'output', label: 'Output' },
];

/** Prices (USD per 1M tokens) the user sets for models the built-in table lacks or prices differently. */
export function PriceOverrides({ overrides, defaults }: { overrides: Record<string, Price>; defaults: { provider: string; model: string } }) {
  const [target, setTarget] = useState(defaults);
  const [draft, setDraft] = useState<Record<keyof Price, string>>({ input: '', cachedInput: '', cacheWrite: '', output: '' });
  const [error, setError] = useState<string | null>(null);
  const reload = useSettings((s) => s.load);

  const save = async (model: string, price: Price | null) => {
    try {
      await api.call('settings.update', { price: { model, price } });
      setError(null);
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const submit = () => {
    const price = Object.fromEntries(FIELDS.map((f) => [f.key, Number(draft[f.key] || 0)])) as Price;
    if (Object.values(price).some((v) => !Number.isFinite(v) || v < 0)) return setError('Prices are numbers of dollars per million tokens, 0 or more.');
    void save(`${target.provider}/${target.model}`, price);
  };

  return (
    <div data-testid="price-overrides">
      <table className="price-table">
        <thead>
          <tr>
            <th>Model</th>
            {FIELDS.map((f) => (
              <th key={f.key}>{f.label}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {Object.entries(overrides).map(([model, price]) => (
            <tr key={model}>
              <td>{model}</td>
              {FIELDS.map((f) => (
                <td key={f.key}>${price[f.key]}</td>
              ))}
              <td>
                <button type="button" onClick={() => void save(model, null)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
          <tr>
            <td>
              <ModelPicker
                provider={target.provider}
                model={target.model}
                label="Model to price"
                testId="price-model"
                onChange={(provider, model) => setTarget({ provider, model })}
              />
            </td>
            {FIELDS.map((f) => (
              <td key={f.key}>
                <input
                  inputMode="decimal"
                  aria-label={`${f.label} price per million tokens`}
                  placeholder="0"
                  value={draft[f.key]}
                  onChange={(event) => setDraft({ ...draft, [f.key]: event.target.value })}
                />
              </td>
            ))}
            <td>
              <button type="button" onClick={submit} data-testid="save-price">
                Save
              </button>
            </td>
          </tr>
        </tbody>
      </table>
      {error ? (
        <div className="test-failed" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
