import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { filterOptions, modelOptions, type ModelOption } from './model-options.js';
import { useModels } from './models-store.js';

interface Props {
  provider: string;
  model: string;
  onChange(provider: string, model: string): void;
  label?: string;
  testId?: string;
}

/**
 * The model of a chat (or a default, a fallback): a button showing the choice, opening a searchable list grouped by
 * provider with each model's capabilities, context window and price. Keyboard: type to filter, arrows, Enter, Escape.
 */
export function ModelPicker({ provider, model, onChange, label = 'Model', testId = 'model-picker' }: Props) {
  const { models, loaded, load } = useModels();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const value = `${provider}/${model}`;
  const options = useMemo(() => modelOptions(models, { provider, model }), [models, provider, model]);
  const current = options.find((o) => o.value === value);

  return (
    <div className="model-picker" ref={root}>
      <button
        type="button"
        className="model-picker-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`${label}: ${current?.label ?? model}`}
        title={`${current?.providerLabel ?? provider} · ${model}`}
        data-testid={testId}
        data-value={value}
        onClick={() => setOpen(!open)}
      >
        <span className="model-picker-name">{current?.label ?? model}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <ModelList
          label={label}
          options={options}
          value={value}
          testId={testId}
          onPick={(option) => {
            setOpen(false);
            if (option.value !== value) onChange(option.provider, option.id);
          }}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}

function ModelList({
  label,
  options,
  value,
  testId,
  onPick,
  onClose,
}: {
  label: string;
  options: ModelOption[];
  value: string;
  testId: string;
  onPick(option: ModelOption): void;
  onClose(): void;
}) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterOptions(options, query), [options, query]);
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      shown.findIndex((o) => o.value === value),
    ),
  );
  const listId = useId();
  const list = useRef<HTMLUListElement>(null);
  const activeOption = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    list.current?.querySelector('[data-active="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, shown]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => Math.min(Math.max(Math.min(index, shown.length - 1) + step, 0), shown.length - 1));
    } else if (event.key === 'Enter') {
      if (activeOption) onPick(activeOption);
    } else if (event.key === 'Escape') {
      onClose();
    } else return;
    event.preventDefault();
  };

  return (
    <div className="model-popover" role="dialog" aria-label={label}>
      <input
        type="search"
        className="model-search"
        placeholder="Search models"
        aria-label="Search models"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={activeOption ? `${listId}-${activeOption.value}` : undefined}
        autoFocus
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid={`${testId}-search`}
      />
      <ul className="model-options" role="listbox" id={listId} ref={list} aria-label={label}>
        {shown.map((option, index) => (
          <li key={option.value} role="presentation">
            {index === 0 || shown[index - 1]?.provider !== option.provider ? <div className="model-group">{option.providerLabel}</div> : null}
            <div
              role="option"
              id={`${listId}-${option.value}`}
              aria-selected={option.value === value}
              data-active={option === activeOption}
              data-value={option.value}
              className="model-option"
              onPointerMove={() => setActive(index)}
              onClick={() => onPick(option)}
            >
              <span className="model-option-name">
                {option.label}
                {option.label !== option.id ? <span className="hint"> {option.id}</span> : null}
              </span>
              <span className="model-option-meta">
                {option.badges.map((badge) => (
                  <span key={badge} className="badge">
                    {badge}
                  </span>
                ))}
                <span className="model-price" title="USD per million tokens, in / out">
                  {option.price}
                </span>
              </span>
            </div>
          </li>
        ))}
        {shown.length === 0 ? <li className="hint model-empty">No model matches “{query}”.</li> : null}
      </ul>
    </div>
  );
}
