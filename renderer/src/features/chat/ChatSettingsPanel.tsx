import { useEffect, useState } from 'react';
import { SessionSettings, type MethodOutput, type ThinkingSetting } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { SaveAsPreset } from '../presets/SaveAsPreset.js';

interface Props {
  settings: SessionSettings;
  /** Offers "Save as preset" (a chat's settings; not when editing a preset itself). */
  savable?: boolean;
  /** Saves a change: to the chat, or to the new chat's draft until its first message creates it. */
  onChange(change: Partial<SessionSettings>): void;
}

type Servers = MethodOutput<'tools.servers'>['servers'];

/**
 * A chat's own settings: system prompt, sampling, answer length, thinking, the step limit, which tool servers it may
 * use, and the fallback chain. Saved as they change; a value out of range is named inline and not saved.
 */
export function ChatSettingsPanel({ settings, onChange, savable = false }: Props) {
  const [prompt, setPrompt] = useState(settings.systemPrompt);
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
      <div className="chat-settings-grid">
        <NumberSetting
          label="Temperature"
          field="temperature"
          value={settings.temperature}
          step={0.1}
          hint="0 to 2"
          onSave={(temperature) => onChange({ temperature })}
        />
        <NumberSetting label="Top-p" field="topP" value={settings.topP} step={0.05} hint="0 to 1" onSave={(topP) => onChange({ topP })} />
        <NumberSetting
          label="Longest answer (tokens)"
          field="maxOutputTokens"
          value={settings.maxOutputTokens}
          step={256}
          hint="1 to 1,000,000"
          onSave={(maxOutputTokens) => onChange({ maxOutputTokens })}
        />
        <NumberSetting
          label="Step limit"
          field="maxSteps"
          value={settings.maxSteps}
          step={1}
          hint="1 to 50 model turns per answer"
          required
          onSave={(maxSteps) => maxSteps !== null && onChange({ maxSteps })}
        />
      </div>
      <ThinkingChoice thinking={settings.thinking} onChange={(thinking) => onChange({ thinking })} />
      <ToolServersChoice enabled={settings.enabledTools} onChange={(enabledTools) => onChange({ enabledTools })} />
      <div className="field-column">
        <span>Fallbacks, tried in order when the model fails before answering</span>
        {settings.fallbacks.map((fallback, index) => (
          <div className="field" key={`${fallback.provider}/${fallback.model}/${index}`}>
            <ModelPicker
              provider={fallback.provider}
              model={fallback.model}
              label={`Fallback ${index + 1}`}
              testId={`fallback-${index}`}
              onChange={(provider, model) => onChange({ fallbacks: settings.fallbacks.map((f, i) => (i === index ? { provider, model } : f)) })}
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
      {savable ? <SaveAsPreset settings={settings} /> : null}
    </div>
  );
}

type NumberField = 'temperature' | 'topP' | 'maxOutputTokens' | 'maxSteps';

/** A number checked against the contract's own schema on leaving the field; empty means the model's default. */
function NumberSetting(props: {
  label: string;
  field: NumberField;
  value: number | null;
  step: number;
  hint: string;
  required?: boolean;
  onSave(value: number | null): void;
}) {
  const { label, field, value, step, hint, required = false, onSave } = props;
  const [text, setText] = useState(value === null ? '' : String(value));
  const [problem, setProblem] = useState<string | null>(null);
  const id = `chat-setting-${field}`;

  const save = () => {
    if (text.trim() === '') {
      if (required) return setProblem(`${label} needs a value (${hint}).`);
      setProblem(null);
      return value === null ? undefined : onSave(null);
    }
    const number = Number(text);
    const checked = SessionSettings.shape[field].safeParse(number);
    if (!Number.isFinite(number) || !checked.success)
      return setProblem(`${label} must be ${hint}${field === 'maxOutputTokens' || field === 'maxSteps' ? ', a whole number' : ''}.`);
    setProblem(null);
    if (number !== value) onSave(number);
  };

  return (
    <div className="field-column">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        step={step}
        placeholder={required ? '' : 'model default'}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setText(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => event.key === 'Enter' && save()}
        data-testid={id}
      />
      {problem ? (
        <span className="field-error" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}

type ThinkingMode = 'default' | 'low' | 'medium' | 'high' | 'budget';

/** Thinking: the model's default, a level, or a token budget (0 turns it off where the model allows). */
function ThinkingChoice({ thinking, onChange }: { thinking: ThinkingSetting | null; onChange(thinking: ThinkingSetting | null): void }) {
  const mode: ThinkingMode = thinking === null ? 'default' : 'effort' in thinking ? thinking.effort : 'budget';
  const [budget, setBudget] = useState(thinking && 'budgetTokens' in thinking ? String(thinking.budgetTokens) : '4096');
  const [problem, setProblem] = useState<string | null>(null);

  const saveBudget = (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > 200_000) return setProblem('A thinking budget is a whole number of tokens from 0 to 200,000.');
    setProblem(null);
    onChange({ budgetTokens: value });
  };

  return (
    <div className="field-column">
      <label htmlFor="chat-setting-thinking">Thinking (for models that think: OpenAI reasoning models, Claude, Gemini)</label>
      <div className="field">
        <select
          id="chat-setting-thinking"
          value={mode}
          onChange={(event) => {
            const next = event.target.value as ThinkingMode;
            if (next === 'default') onChange(null);
            else if (next === 'budget') saveBudget(budget);
            else onChange({ effort: next });
          }}
          data-testid="chat-setting-thinking"
        >
          <option value="default">Model default</option>
          <option value="low">Low effort</option>
          <option value="medium">Medium effort</option>
          <option value="high">High effort</option>
          <option value="budget">Token budget</option>
        </select>
        {mode === 'budget' ? (
          <input
            type="number"
            min={0}
            max={200_000}
            step={1024}
            aria-label="Thinking budget in tokens"
            value={budget}
            onChange={(event) => setBudget(event.target.value)}
            onBlur={() => saveBudget(budget)}
          />
        ) : null}
      </div>
      {problem ? (
        <span className="field-error" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}

/** Which tool servers this chat may use: all of them (servers added later too), or the ones ticked. */
function ToolServersChoice({ enabled, onChange }: { enabled: string[]; onChange(enabled: string[]): void }) {
  const [servers, setServers] = useState<Servers | null>(null);
  useEffect(() => {
    api.call('tools.servers', {}).then(
      (list) => setServers(list.servers),
      () => setServers([]),
    );
  }, []);
  const all = enabled.includes('*');
  const ids = servers?.map((s) => s.id) ?? [];

  return (
    <fieldset className="choice tool-choice" data-testid="chat-tools">
      <legend>Tools this chat may use</legend>
      <label>
        <input type="checkbox" checked={all} onChange={(event) => onChange(event.target.checked ? ['*'] : ids)} data-testid="chat-tools-all" />
        Every tool server, including ones added later
      </label>
      {servers?.map((server) => (
        <label key={server.id}>
          <input
            type="checkbox"
            checked={all || enabled.includes(server.id)}
            disabled={all}
            onChange={(event) => onChange(event.target.checked ? [...enabled, server.id] : enabled.filter((id) => id !== server.id))}
            data-testid={`chat-tools-${server.id}`}
          />
          {server.label}
        </label>
      ))}
      {servers && servers.length === 0 ? <span className="hint">No tool servers yet (Settings › Tools).</span> : null}
    </fieldset>
  );
}
