import { useState } from 'react';
import type { Session } from '../../../../shared/index.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { useSessions } from '../sessions/sessions-store.js';

/** This chat's own settings: system prompt, temperature and the fallback chain. Saved as they change; keyed by session so drafts start fresh. */
export function ChatSettingsPanel({ session }: { session: Session }) {
  const updateSettings = useSessions((s) => s.updateSettings);
  const { settings } = session;
  const [prompt, setPrompt] = useState(settings.systemPrompt);
  const [temperature, setTemperature] = useState(settings.temperature === null ? '' : String(settings.temperature));

  const saveTemperature = () => {
    const value = temperature.trim() === '' ? null : Number(temperature);
    if (value === null || (Number.isFinite(value) && value >= 0 && value <= 2)) void updateSettings(session.id, { temperature: value });
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
          onBlur={() => prompt !== settings.systemPrompt && void updateSettings(session.id, { systemPrompt: prompt })}
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
                void updateSettings(session.id, { fallbacks: settings.fallbacks.map((f, i) => (i === index ? { provider, model } : f)) })
              }
            />
            <button type="button" onClick={() => void updateSettings(session.id, { fallbacks: settings.fallbacks.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {settings.fallbacks.length < 5 ? (
          <button
            type="button"
            className="link"
            onClick={() => void updateSettings(session.id, { fallbacks: [...settings.fallbacks, { provider: settings.provider, model: settings.model }] })}
            data-testid="add-fallback"
          >
            + Add a fallback
          </button>
        ) : null}
      </div>
    </div>
  );
}
