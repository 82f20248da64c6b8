import { useEffect } from 'react';
import type { Preset } from '../../../../shared/index.js';
import { usePresets } from './presets-store.js';

/** Above a new chat: start it from a preset (its system prompt, model, parameters and tools). */
export function PresetPicker({ onPick }: { onPick(preset: Preset): void }) {
  const { presets, loaded, load } = usePresets();
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  if (presets.length === 0) return null;
  return (
    <select
      className="preset-picker"
      aria-label="Start from a preset"
      value=""
      onChange={(event) => {
        const preset = presets.find((p) => p.id === event.target.value);
        if (preset) onPick(preset);
      }}
      data-testid="preset-picker"
    >
      <option value="">Start from a preset…</option>
      {presets.map((preset) => (
        <option key={preset.id} value={preset.id}>
          {preset.name}
        </option>
      ))}
    </select>
  );
}
