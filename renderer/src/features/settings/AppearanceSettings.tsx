import type { Appearance } from '../../../../shared/index.js';
import { useUi } from '../../app/ui-store.js';

const THEMES: { value: Appearance['theme']; label: string }[] = [
  { value: 'system', label: 'Like the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const DENSITIES: { value: Appearance['density']; label: string }[] = [
  { value: 'comfortable', label: 'Comfortable' },
  { value: 'compact', label: 'Compact' },
];

/** Theme, text size and density: applied at once and kept (electron-store in the app, the data folder in serve mode). */
export function AppearanceSettings() {
  const { appearance, update } = useUi();
  return (
    <div className="appearance" data-testid="appearance">
      <Choice legend="Theme" name="theme" options={THEMES} value={appearance.theme} onChange={(theme) => void update({ appearance: { theme } })} />
      <label className="field">
        <span>Text size</span>
        <input
          type="range"
          min={12}
          max={22}
          step={1}
          value={appearance.fontSize}
          onChange={(event) => void update({ appearance: { fontSize: Number(event.target.value) } })}
          aria-valuetext={`${appearance.fontSize} pixels`}
          data-testid="font-size"
        />
        <output>{appearance.fontSize} px</output>
      </label>
      <Choice legend="Density" name="density" options={DENSITIES} value={appearance.density} onChange={(density) => void update({ appearance: { density } })} />
    </div>
  );
}

/** One choice among a few, as labelled radio buttons. */
function Choice<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: { value: T; label: string }[];
  value: T;
  onChange(value: T): void;
}) {
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value}>
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}
