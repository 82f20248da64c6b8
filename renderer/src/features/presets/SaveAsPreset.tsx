import { useState } from 'react';
import type { SessionSettings } from '../../../../shared/index.js';
import { usePresets } from './presets-store.js';

/** In Chat settings: keeps this chat's settings as a named preset for new chats. */
export function SaveAsPreset({ settings }: { settings: SessionSettings }) {
  const { save, error } = usePresets();
  const [name, setName] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (name === null) {
    return (
      <div className="field">
        <button type="button" className="link" onClick={() => setName('')} data-testid="save-as-preset">
          Save these settings as a preset…
        </button>
        {saved ? (
          <span className="hint" role="status">
            Saved as “{saved}”.
          </span>
        ) : null}
      </div>
    );
  }
  const submit = async () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    if (await save({ name: trimmed, settings })) {
      setSaved(trimmed);
      setName(null);
    }
  };
  return (
    <div className="field-column">
      <div className="field">
        <input
          autoFocus
          maxLength={100}
          placeholder="Preset name"
          aria-label="Preset name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void submit();
            if (event.key === 'Escape') {
              event.preventDefault();
              setName(null);
            }
          }}
          data-testid="preset-name"
        />
        <button type="button" className="primary" disabled={!name.trim()} onClick={() => void submit()} data-testid="confirm-save-preset">
          Save preset
        </button>
        <button type="button" onClick={() => setName(null)}>
          Cancel
        </button>
      </div>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
