import { useEffect, useRef, useState } from 'react';
import { copyToClipboard } from './clipboard.js';

type CopyState = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 1500;

/** A button that copies a text and says, for a moment, whether it worked. */
export function CopyButton({ text, label, title, testId }: { text: () => string; label: string; title: string; testId: string }) {
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
    <button type="button" className="copy-button" title={title} aria-label={title} data-testid={testId} data-state={state} onClick={() => void copy()}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
