import { useEffect, useState } from 'react';
import { SummarySettings } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { ModelPicker } from '../models/ModelPicker.js';
import './summaries.css';

/** Settings › Models and prices: when long chats are summarized, and by which model (`start`: the one offered first). */
export function SummarySettingsForm({ start }: { start: { provider: string; model: string } }) {
  const [saved, setSaved] = useState<SummarySettings | null>(null);
  const [threshold, setThreshold] = useState('');
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    api.call('summaries.settings', {}).then(
      (s) => {
        setSaved(s);
        setThreshold(String(s.thresholdPercent));
      },
      (error: Error) => setNote({ error: true, text: error.message }),
    );
  }, []);

  const save = async (change: Partial<SummarySettings>) => {
    try {
      const next = await api.call('summaries.updateSettings', change);
      setSaved(next);
      setThreshold(String(next.thresholdPercent));
      setNote({ error: false, text: 'Saved.' });
    } catch (error) {
      setNote({ error: true, text: (error as Error).message });
    }
  };
  const saveThreshold = () => {
    const parsed = SummarySettings.shape.thresholdPercent.safeParse(Number(threshold));
    if (!threshold.trim() || !parsed.success) return setNote({ error: true, text: 'The threshold is a whole percentage, from 10 to 95.' });
    void save({ thresholdPercent: parsed.data });
  };
  if (!saved) return note ? <p className="field-error">{note.text}</p> : null;

  return (
    <div className="summary-settings" data-testid="summary-settings">
      <label className="choice-inline">
        <input type="checkbox" checked={saved.auto} onChange={(e) => void save({ auto: e.target.checked })} data-testid="summary-auto" />
        <span>Summarize long chats automatically</span>
      </label>
      <div className="retention-setting">
        <label className="field">
          <span>once the conversation fills</span>
          <input
            type="number"
            min={10}
            max={95}
            step={1}
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
            aria-invalid={note?.error ?? false}
            data-testid="summary-threshold"
          />
          <span>% of the model&apos;s window</span>
        </label>
        <button type="button" disabled={threshold === String(saved.thresholdPercent)} onClick={saveThreshold} data-testid="summary-threshold-save">
          Save
        </button>
      </div>
      <label className="choice-inline">
        <input
          type="checkbox"
          checked={saved.model === null}
          onChange={(e) => void save({ model: e.target.checked ? null : { provider: start.provider, model: start.model } })}
          data-testid="summary-own-model"
        />
        <span>Summaries are written by the chat&apos;s own model</span>
      </label>
      {saved.model ? (
        <label className="field">
          <span>Summarizer model</span>
          <ModelPicker
            provider={saved.model.provider}
            model={saved.model.model}
            label="Summarizer model"
            testId="summary-model"
            onChange={(provider, model) => void save({ model: { provider, model } })}
          />
        </label>
      ) : null}
      {note ? (
        <p className={note.error ? 'field-error' : 'hint'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
