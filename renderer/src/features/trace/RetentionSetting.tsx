import { useEffect, useState } from 'react';
import { TraceRetentionDays } from '../../../../shared/index.js';
import { api } from '../../api/client.js';

/** Settings › Data: how many days answers' timings (the waterfall's spans) are kept; older ones are deleted. */
export function RetentionSetting() {
  const [saved, setSaved] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  useEffect(() => {
    api.call('data.traceSettings', {}).then(
      (s) => {
        setSaved(s.retentionDays);
        setDraft(String(s.retentionDays));
      },
      (error: Error) => setNote({ error: true, text: error.message }),
    );
  }, []);

  const save = async () => {
    const parsed = TraceRetentionDays.safeParse(Number(draft));
    if (!draft.trim() || !parsed.success) {
      setNote({ error: true, text: 'Keep timings for a whole number of days, from 1 to 3650.' });
      return;
    }
    try {
      const result = await api.call('data.updateTraceSettings', { retentionDays: parsed.data });
      setSaved(result.retentionDays);
      setNote({ error: false, text: result.pruned > 0 ? `Saved; deleted ${result.pruned.toLocaleString()} older timings.` : 'Saved.' });
    } catch (error) {
      setNote({ error: true, text: (error as Error).message });
    }
  };

  return (
    <div className="retention-setting">
      <label className="field">
        <span>Keep answers&apos; timings for</span>
        <input
          type="number"
          min={1}
          max={3650}
          step={1}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          aria-invalid={note?.error ?? false}
          data-testid="trace-retention"
        />
        <span>days</span>
      </label>
      <button type="button" disabled={saved === null || draft === String(saved)} onClick={() => void save()} data-testid="trace-retention-save">
        Save
      </button>
      {note ? (
        <p className={note.error ? 'field-error' : 'hint'} role={note.error ? 'alert' : 'status'} data-testid="trace-retention-note">
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
