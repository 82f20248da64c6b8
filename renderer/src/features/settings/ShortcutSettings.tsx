import { useState, type KeyboardEvent } from 'react';
import { ShortcutAction, type ShortcutBindings } from '../../../../shared/index.js';
import { comboOf, DEFAULT_SHORTCUTS, effectiveShortcuts, formatCombo, SHORTCUT_LABELS } from '../../app/shortcuts.js';
import { useUi } from '../../app/ui-store.js';

/** Every shortcut with its keys; Change records the next combination pressed, Reset goes back to the default. */
export function ShortcutSettings() {
  const { shortcuts, error, update } = useUi();
  const [recording, setRecording] = useState<ShortcutAction | null>(null);
  const bindings = effectiveShortcuts(shortcuts);

  const save = async (next: ShortcutBindings) => {
    if (await update({ shortcuts: next })) setRecording(null);
  };
  const record = (action: ShortcutAction) => (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'Tab') return;
    event.preventDefault();
    if (event.key === 'Escape' && !event.shiftKey) return setRecording(null);
    const combo = comboOf(event.nativeEvent);
    if (combo) void save({ ...shortcuts, [action]: combo });
  };

  return (
    <div className="shortcuts" data-testid="shortcuts">
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Keys</th>
            <th scope="col">
              <span className="visually-hidden">Change</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {ShortcutAction.options.map((action) => (
            <tr key={action} data-testid={`shortcut-${action}`}>
              <th scope="row">{SHORTCUT_LABELS[action]}</th>
              <td>
                <kbd>{formatCombo(bindings[action])}</kbd>
              </td>
              <td className="shortcut-actions">
                {recording === action ? (
                  <button
                    type="button"
                    className="recording"
                    autoFocus
                    onKeyDown={record(action)}
                    onBlur={() => setRecording(null)}
                    data-testid="shortcut-recorder"
                  >
                    Press the new keys (Esc cancels)
                  </button>
                ) : (
                  <button type="button" onClick={() => setRecording(action)} aria-label={`Change the keys for ${SHORTCUT_LABELS[action]}`}>
                    Change
                  </button>
                )}
                {shortcuts[action] && shortcuts[action] !== DEFAULT_SHORTCUTS[action] ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      const { [action]: _dropped, ...rest } = shortcuts;
                      void save(rest);
                    }}
                  >
                    Reset
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">Stop the answer, or close a panel</th>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td className="hint">Fixed</td>
          </tr>
        </tbody>
      </table>
      {error ? (
        <p className="field-error" role="alert" data-testid="shortcut-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
