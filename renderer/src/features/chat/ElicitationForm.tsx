import { useId, useState, type FormEvent } from 'react';
import {
  contentProblems,
  fieldLabel,
  fieldOptions,
  isRequired,
  summarizeContent,
  withDefaults,
  type ElicitationAction,
  type ElicitationContent,
  type ElicitationField,
  type ElicitationSchema,
} from '../../../../shared/contract/elicitation.js';
import { useChat, type ElicitationView } from './chat-store.js';

/** What an input holds while the user types: text for text and number inputs, a flag, or the chosen options. */
type Draft = string | boolean | string[];

/**
 * A tool server's question, under the call that it interrupted: the server's message and a form built from its
 * schema, or, once answered, one line saying what was sent. The server's words are shown as text, never markup.
 */
export function ElicitationQuestion({ question }: { question: ElicitationView }) {
  if (question.answer) return <ElicitationRecordLine question={question} answer={question.answer} />;
  return <ElicitationForm question={question} />;
}

function ElicitationForm({ question }: { question: ElicitationView }) {
  const elicit = useChat((s) => s.elicit);
  const schema = question.requestedSchema;
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => initialDrafts(schema));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idBase = useId();
  const headingId = `${idBase}-heading`;

  const send = async (action: ElicitationAction, content?: ElicitationContent) => {
    if (!question.runId) return;
    setBusy(true);
    const result = await elicit(question.runId, question.id, action, content);
    setBusy(false);
    if (!result.ok) {
      setProblems(result.fields);
      setError(result.message);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const content = toContent(schema, drafts);
    // Checked as core will check it (defaults filled in first), so the user sees each problem beside its field.
    const found = contentProblems(schema, withDefaults(schema, content));
    setProblems(found);
    setError(Object.keys(found).length > 0 ? 'Some answers need fixing before they can be sent.' : null);
    if (Object.keys(found).length === 0) void send('accept', content);
  };

  const update = (name: string, value: Draft) => {
    setDrafts((current) => ({ ...current, [name]: value }));
    if (problems[name]) setProblems((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)));
  };

  return (
    <form className="elicitation" role="group" aria-labelledby={headingId} data-testid="elicitation" onSubmit={submit} noValidate>
      <div id={headingId}>
        The tool server <strong data-testid="elicitation-server">{question.serverLabel}</strong> asks you (this question comes from the server, not from Coda):
      </div>
      <p className="elicitation-message" data-testid="elicitation-message">
        {question.message}
      </p>
      <div className="elicitation-fields">
        {Object.entries(schema.properties).map(([name, field]) => (
          <FieldInput
            key={name}
            id={`${idBase}-${name}`}
            name={name}
            field={field}
            required={isRequired(schema, name)}
            value={drafts[name] ?? ''}
            problem={problems[name] ?? null}
            onChange={(value) => update(name, value)}
          />
        ))}
      </div>
      {error ? (
        <div className="elicitation-error" role="alert" data-testid="elicitation-error">
          {error}
        </div>
      ) : null}
      <div className="approval-buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="elicitation-submit">
          Submit
        </button>
        <button type="button" disabled={busy} onClick={() => void send('decline')} data-testid="elicitation-decline">
          Decline
        </button>
        <button type="button" disabled={busy} onClick={() => void send('cancel')} data-testid="elicitation-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  id: string;
  name: string;
  field: ElicitationField;
  required: boolean;
  value: Draft;
  problem: string | null;
  onChange(value: Draft): void;
}

function FieldInput({ id, name, field, required, value, problem, onChange }: FieldProps) {
  const label = fieldLabel(name, field);
  const describedBy = [field.description ? `${id}-description` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const options = fieldOptions(field);
  const common = { 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined } as const;
  const notes = (
    <>
      {field.description ? (
        <span className="elicitation-description" id={`${id}-description`}>
          {field.description}
        </span>
      ) : null}
      {problem ? (
        <span className="elicitation-problem" id={`${id}-problem`} data-testid={`elicitation-problem-${name}`}>
          {label} {problem}
        </span>
      ) : null}
    </>
  );
  // The mark sits beside the label, not in it: the field's name stays its title, and aria-required says the rest.
  const mark = required ? (
    <span className="elicitation-required" aria-hidden="true" title="required">
      *
    </span>
  ) : null;

  if (field.type === 'array') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="elicitation-field" {...common}>
        <legend>
          {label} {mark}
        </legend>
        {(options ?? []).map((option) => (
          <label key={option.value} className="elicitation-choice">
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, option.value] : chosen.filter((v) => v !== option.value))}
            />
            {option.label}
          </label>
        ))}
        {notes}
      </fieldset>
    );
  }
  if (field.type === 'boolean') {
    return (
      <div className="elicitation-field">
        <div className="elicitation-choice">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...common} />
          <label htmlFor={id}>{label}</label>
          {mark}
        </div>
        {notes}
      </div>
    );
  }
  return (
    <div className="elicitation-field">
      <div className="elicitation-label">
        <label htmlFor={id}>{label}</label> {mark}
      </div>
      {options ? (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} {...common}>
          <option value="">{required ? 'Choose…' : '(none)'}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={inputType(field)}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
          {...(field.type === 'string'
            ? { minLength: field.minLength, maxLength: field.maxLength }
            : { min: field.minimum, max: field.maximum, step: field.type === 'integer' ? 1 : 'any' })}
          {...common}
        />
      )}
      {notes}
    </div>
  );
}

function ElicitationRecordLine({ question, answer }: { question: ElicitationView; answer: NonNullable<ElicitationView['answer']> }) {
  const text =
    answer.action === 'accept'
      ? `You sent ${question.serverLabel}: ${summarizeContent(question.requestedSchema, answer.content ?? {})}`
      : answer.action === 'decline'
        ? `You declined ${question.serverLabel}'s question.`
        : answer.endedBy === 'stopped'
          ? `${question.serverLabel}'s question was cancelled: the answer was stopped.`
          : answer.endedBy === 'timeout'
            ? `${question.serverLabel}'s question was cancelled: nobody answered in time.`
            : answer.endedBy === 'withdrawn'
              ? `${question.serverLabel} withdrew its question.`
              : `You cancelled ${question.serverLabel}'s question.`;
  return (
    <div className="elicitation-record" data-testid="elicitation-record" data-action={answer.action} title={`${question.message}\n${text}`}>
      {text}
    </div>
  );
}

function inputType(field: ElicitationField): string {
  if (field.type === 'number' || field.type === 'integer') return 'number';
  switch (field.format) {
    case 'email':
      return 'email';
    case 'uri':
      return 'url';
    case 'date':
      return 'date';
    default:
      // date-time stays text: a browser's datetime-local drops the time zone the server asked for.
      return 'text';
  }
}

/** The form as first shown: every field that has a default holds it. */
function initialDrafts(schema: ElicitationSchema): Record<string, Draft> {
  const drafts: Record<string, Draft> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const value = field.default;
    if (field.type === 'array') drafts[name] = Array.isArray(value) ? value : [];
    else if (field.type === 'boolean') drafts[name] = value === true;
    else drafts[name] = value === undefined || Array.isArray(value) ? '' : String(value);
  }
  return drafts;
}

/** The drafts as the values the server's schema asks for; empty text is left out (core then fills in defaults). */
function toContent(schema: ElicitationSchema, drafts: Record<string, Draft>): ElicitationContent {
  const content: ElicitationContent = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const draft = drafts[name];
    if (draft === undefined) continue;
    if (field.type === 'array' || field.type === 'boolean') content[name] = draft;
    else if (typeof draft === 'string' && draft.trim() !== '') content[name] = field.type === 'string' ? draft : Number(draft);
  }
  return content;
}
