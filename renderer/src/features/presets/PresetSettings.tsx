import { useEffect, useState } from 'react';
import type { Preset } from '../../../../shared/index.js';
import { ChatSettingsPanel } from '../chat/ChatSettingsPanel.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { usePresets } from './presets-store.js';

/** Settings › Presets: every preset, to rename, edit, duplicate or delete. New ones come from a chat's settings. */
export function PresetSettings() {
  const { presets, error, load } = usePresets();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div data-testid="presets">
      <p className="hint">
        A preset is a named start for new chats: system prompt, model, parameters and tools. Save one from a chat&apos;s Chat settings; pick it above a new
        chat.
      </p>
      {presets.length === 0 ? <p className="hint">No presets yet.</p> : null}
      <ul className="preset-list">
        {presets.map((preset) => (
          <PresetRow key={preset.id} preset={preset} />
        ))}
      </ul>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function PresetRow({ preset }: { preset: Preset }) {
  const { save, duplicate, remove } = usePresets();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [name, setName] = useState(preset.name);
  const rename = () => {
    const trimmed = name.trim();
    if (trimmed && trimmed !== preset.name) void save({ ...preset, name: trimmed });
    else setName(preset.name);
  };

  return (
    <li className="preset-row" data-testid="preset-row">
      <div className="field">
        <input
          className="preset-name"
          aria-label="Preset name"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          onBlur={rename}
          onKeyDown={(event) => event.key === 'Enter' && rename()}
        />
        <span className="hint">
          {preset.settings.provider}/{preset.settings.model}
        </span>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Done' : 'Edit'}
        </button>
        <button type="button" onClick={() => void duplicate(preset.id)} data-testid="duplicate-preset">
          Duplicate
        </button>
        {confirmDelete ? (
          <>
            <button type="button" className="danger" onClick={() => void remove(preset.id)} data-testid="confirm-delete-preset">
              Delete “{preset.name}”
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmDelete(true)} data-testid="delete-preset">
            Delete
          </button>
        )}
      </div>
      {editing ? (
        <div className="preset-editor">
          <label className="field">
            <span>Model</span>
            <ModelPicker
              provider={preset.settings.provider}
              model={preset.settings.model}
              label={`Model of ${preset.name}`}
              onChange={(provider, model) => void save({ ...preset, settings: { ...preset.settings, provider, model } })}
            />
          </label>
          <ChatSettingsPanel settings={preset.settings} onChange={(change) => void save({ ...preset, settings: { ...preset.settings, ...change } })} />
        </div>
      ) : null}
    </li>
  );
}
