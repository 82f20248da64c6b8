import { useEffect, useMemo } from 'react';
import { useModels } from './models-store.js';

interface Props {
  provider: string;
  model: string;
  onChange(provider: string, model: string): void;
  label?: string;
  testId?: string;
}

/** Provider and model in one select, grouped by provider; the current choice is kept even if no list offers it. */
export function ModelPicker({ provider, model, onChange, label = 'Model', testId = 'model-picker' }: Props) {
  const { models, loaded, load } = useModels();
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  const groups = useMemo(() => {
    const byProvider = new Map<string, { id: string; label: string }[]>();
    for (const m of models) byProvider.set(m.provider, [...(byProvider.get(m.provider) ?? []), { id: m.id, label: m.label }]);
    if (!byProvider.get(provider)?.some((m) => m.id === model)) byProvider.set(provider, [{ id: model, label: model }, ...(byProvider.get(provider) ?? [])]);
    return [...byProvider.entries()];
  }, [models, provider, model]);

  return (
    <select
      className="model-picker"
      aria-label={label}
      data-testid={testId}
      value={`${provider}/${model}`}
      onChange={(event) => {
        const value = event.target.value;
        const slash = value.indexOf('/');
        onChange(value.slice(0, slash), value.slice(slash + 1));
      }}
    >
      {groups.map(([group, entries]) => (
        <optgroup key={group} label={group}>
          {entries.map((m) => (
            <option key={`${group}/${m.id}`} value={`${group}/${m.id}`}>
              {m.label === m.id ? m.id : `${m.label} (${m.id})`}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
