import { lazy, Suspense, useState } from 'react';

// d3 and the waterfall load when a waterfall is first opened, not with the chat.
const Waterfall = lazy(() => import('./Waterfall.js').then((m) => ({ default: m.Waterfall })));

/** An answer's waterfall, its code loaded on first use (the Steps panel's Timing section shows it too). */
export function LazyWaterfall({ messageId }: { messageId: string }) {
  return (
    <Suspense fallback={<div className="waterfall">Loading timings…</div>}>
      <Waterfall messageId={messageId} />
    </Suspense>
  );
}

/** Under an answer: a "Timing" button that shows or hides its waterfall (answers made before tracing have none). */
export function TimingToggle({ messageId, traced }: { messageId: string; traced: boolean }) {
  const [open, setOpen] = useState(false);
  if (!traced) return null;
  return (
    <>
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="timing-toggle">
        Timing
      </button>
      {open ? <LazyWaterfall messageId={messageId} /> : null}
    </>
  );
}
