import { useState } from 'react';
import type { SessionSettings } from '../../../../shared/index.js';
import { ModelPicker } from '../models/ModelPicker.js';

interface Props {
  settings: SessionSettings;
  /** Saves a change: to the chat, or to the new chat's draft until its first message creates it. */
  onChange(change: Partial<SessionSettings>): void;
}

/** A chat's own settings: system prompt, temperature and the fallback chain. Saved as they change; keyed by chat so edits start fresh. */
export function ChatSettingsPanel({ settings, onChange }: Props) {
  const [prompt, setPrompt] = useState(settings.systemPrompt);
  const [temperature, setTemperature] = useState(settings.temperature === null ? '' : String(settings.temperature));

  const saveTemperature = () => {
    const value = temperature.trim() === '' ? null : Number(temperature);
    if (value === null || (Number.isFinite(value) && value >= 0 && value <= 2)) onChange({ temperature: value });
    else setTemperature(settings.temperature === null ? '' : String(settings.temperature));
  };

  return (
    <div className="chat-settings" data-testid="chat-settings">
      <label className="field-column">
        <span>System prompt</span>
        <textarea
          rows={3}
          value={prompt}
          placeholder="Instructions the model gets before the conversation"
          onChange={(event) => setPrompt(event.target.value)}
          onBlur={() => prompt !== settings.systemPrompt && onChange({ systemPrompt: prompt })}
          data-testid="system-prompt"
        />
      </label>
      <label className="field">
        <span>Temperature</span>
        <input
          type="number"
          min={0}
          max={2}
          step={0.1}
          placeholder="model default"
          value={temperature}
          onChange={(event) => setTemperature(event.target.value)}
          onBlur={saveTemperature}
        />
      </label>
      <div className="field-column">
        <span>Fallbacks, tried in order when the model fails before answering</span>
        {settings.fallbacks.map((fallback, index) => (
          <div className="field" key={`${fallback.provider}/${fallback.model}/${index}`}>
            <ModelPicker
              provider={fallback.provider}
              model={fallback.model}
              label={`Fallback ${index + 1}`}
              testId={`fallback-${index}`}
              onChange={(provider, model) =>
                onChange({ fallbacks: settings.fallbacks.map((f, i) => (i === index ? { provider, model } : f)) })
              }
            />
            <button type="button" onClick={() => onChange({ fallbacks: settings.fallbacks.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {settings.fallbacks.length < 5 ? (
          <button
            type="button"
            className="link"
            onClick={() => onChange({ fallbacks: [...settings.fallbacks, { provider: settings.provider, model: settings.model }] })}
            data-testid="add-fallback"
          >
            + Add a fallback
          </button>
        ) : null}
      </div>
    </div>
  );
}
