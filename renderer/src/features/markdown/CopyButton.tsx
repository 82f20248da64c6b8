import { useEffect, useRef, useState } from 'react';
import { copyToClipboard } from './clipboard.js';

type CopyState = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 1500;

interface Props {
  /** Read when clicked, so a long text is only built when it is copied. */
  text: () => string;
  /** What the button says. */
  label: string;
  title: string;
  /** The accessible name when the label alone is ambiguous (several "Copy" buttons on a screen); it contains the label. */
  ariaLabel?: string;
  /** Its look: a small button (on a code block) by default, or `link` among a message's actions. */
  className?: string;
  testId: string;
}

/** A button that copies a text and says, for a moment, whether it worked. */
export function CopyButton({ text, label, title, ariaLabel, className = 'copy-button', testId }: Props) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const copy = async () => {
    const ok = await copyToClipboard(text());
    setState(ok ? 'copied' : 'failed');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), FEEDBACK_MS);
  };
  return (
    <button
      type="button"
      className={className}
      title={title}
      aria-label={state === 'idle' ? ariaLabel : undefined}
      data-testid={testId}
      data-state={state}
      onClick={() => void copy()}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
