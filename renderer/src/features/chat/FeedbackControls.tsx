import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Feedback, FeedbackCategory, Message } from '../../../../shared/index.js';
import { saveFeedback } from './feedback-actions.js';
import { ThumbIcon } from '../../app/icons.js';
import './feedback.css';

const CATEGORIES: { value: FeedbackCategory; label: string }[] = [
  { value: 'incorrect', label: 'Incorrect' },
  { value: 'incomplete', label: 'Incomplete' },
  { value: 'unhelpful-tool-use', label: 'Unhelpful tool use' },
  { value: 'too-slow', label: 'Too slow' },
  { value: 'other', label: 'Other' },
];

/** Thumbs up and down on an answer (the chosen one stays pressed; pressing it again takes it back) and the detailed form. */
export function FeedbackControls({ message }: { message: Message }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const formId = useId();
  const feedback = message.feedback;
  const rating = feedback?.rating ?? null;
  const rate = async (value: 'up' | 'down') => setError(await saveFeedback(message, { rating: rating === value ? null : value }));
  const close = () => {
    setOpen(false);
    // The keyboard focus goes back where it was before the form opened.
    toggle.current?.focus();
  };
  const detailed = feedback !== null && (feedback.categories.length > 0 || feedback.completeness !== null || feedback.comment !== '');
  return (
    <>
      <span className="feedback-thumbs" role="group" aria-label="Rate this answer" data-testid="feedback-thumbs">
        <button
          type="button"
          className="icon"
          aria-pressed={rating === 'up'}
          aria-label="Good answer"
          title={rating === 'up' ? 'You rated this answer good (press again to take it back)' : 'Good answer'}
          onClick={() => void rate('up')}
          data-testid="thumb-up"
        >
          <ThumbIcon direction="up" />
        </button>
        <button
          type="button"
          className="icon"
          aria-pressed={rating === 'down'}
          aria-label="Bad answer"
          title={rating === 'down' ? 'You rated this answer bad (press again to take it back)' : 'Bad answer'}
          onClick={() => void rate('down')}
          data-testid="thumb-down"
        >
          <ThumbIcon direction="down" />
        </button>
      </span>
      <button
        ref={toggle}
        type="button"
        className="link"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        onClick={() => (open ? close() : setOpen(true))}
        data-testid="feedback-details"
      >
        {detailed ? 'Edit feedback' : 'Feedback…'}
      </button>
      {error && !open ? (
        <span className="feedback-error" role="alert">
          {error}
        </span>
      ) : null}
      {open ? <FeedbackForm id={formId} feedback={feedback} message={message} onDone={close} /> : null}
    </>
  );
}

/** What was wrong, how complete the answer was, and a comment; opens with what was saved, so it can be edited later. */
function FeedbackForm({ id, feedback, message, onDone }: { id: string; feedback: Feedback | null; message: Message; onDone(): void }) {
  const [categories, setCategories] = useState<FeedbackCategory[]>(feedback?.categories ?? []);
  const [completeness, setCompleteness] = useState<number | null>(feedback?.completeness ?? null);
  const [comment, setComment] = useState(feedback?.comment ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLElement>('input')?.focus(), []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const refused = await saveFeedback(message, { categories, completeness, comment });
    setSaving(false);
    if (refused) setError(refused);
    else onDone();
  };
  const flip = (value: FeedbackCategory, on: boolean) => setCategories((current) => (on ? [...current, value] : current.filter((c) => c !== value)));
  return (
    <form
      id={id}
      ref={form}
      className="feedback-form"
      aria-label="Feedback on this answer"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        // Escape closes the form only (not the answer's stop or a panel behind it).
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone();
        }
      }}
      data-testid="feedback-form"
    >
      <fieldset>
        <legend>What was wrong?</legend>
        {CATEGORIES.map(({ value, label }) => (
          <label key={value}>
            <input type="checkbox" checked={categories.includes(value)} onChange={(e) => flip(value, e.target.checked)} data-testid={`feedback-${value}`} />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>How complete was it? (1: not at all, 5: fully)</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <label key={value}>
            <input
              type="radio"
              name={`${id}-completeness`}
              checked={completeness === value}
              onChange={() => setCompleteness(value)}
              data-testid={`feedback-completeness-${value}`}
            />
            {value}
          </label>
        ))}
        <label>
          <input type="radio" name={`${id}-completeness`} checked={completeness === null} onChange={() => setCompleteness(null)} />
          not said
        </label>
      </fieldset>
      <label className="feedback-comment">
        Comment
        <textarea value={comment} maxLength={10_000} rows={3} onChange={(e) => setComment(e.target.value)} data-testid="feedback-comment" />
      </label>
      {error ? (
        <span className="feedback-error" role="alert">
          {error}
        </span>
      ) : null}
      <div className="feedback-buttons">
        <button type="submit" className="primary" disabled={saving} data-testid="feedback-save">
          Save feedback
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
