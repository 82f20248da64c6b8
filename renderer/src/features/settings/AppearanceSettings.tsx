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
      <fieldset className="choice">
        <legend>Theme</legend>
        {THEMES.map((theme) => (
          <label key={theme.value}>
            <input type="radio" name="theme" value={theme.value} checked={appearance.theme === theme.value} onChange={() => void update({ appearance: { theme: theme.value } })} />
            {theme.label}
          </label>
        ))}
      </fieldset>
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
      <fieldset className="choice">
        <legend>Density</legend>
        {DENSITIES.map((density) => (
          <label key={density.value}>
            <input type="radio" name="density" value={density.value} checked={appearance.density === density.value} onChange={() => void update({ appearance: { density: density.value } })} />
            {density.label}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
