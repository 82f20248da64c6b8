import { lazy, Suspense, useState } from 'react';
import { CopyButton } from '../markdown/CopyButton.js';
import { useDarkColorScheme } from '../markdown/color-scheme.js';

/** Monaco is loaded the first time a viewer is shown; if it cannot load, the text is shown plain instead. */
const MonacoView = lazy(() =>
  import('./monaco/environment.js')
    .then(() => import('./monaco/MonacoView.js'))
    .catch(() => ({
      default: ({ text }: { text: string }) => <pre className="code-view-plain">{text}</pre>,
    })),
);

interface Props {
  text: string;
  language: string;
  /** What it is, for the editor's and the buttons' accessible names ("Arguments of weather › forecast"). */
  label: string;
  testId: string;
}

/** JSON or code in a read-only editor, with copy and find. */
export function CodeView({ text, language, label, testId }: Props) {
  const dark = useDarkColorScheme();
  const [find, setFind] = useState<(() => void) | null>(null);
  return (
    <div className="code-view" data-testid={testId} data-language={language}>
      <div className="code-view-tools">
        <button type="button" className="link" disabled={!find} onClick={() => find?.()} aria-label={`Find in ${label}`} data-testid="code-view-find">
          Find
        </button>
        <CopyButton text={() => text} label="Copy" title={`Copy ${label}`} ariaLabel={`Copy ${label}`} className="link" testId="code-view-copy" />
      </div>
      <Suspense fallback={<div className="code-view-loading">Opening the viewer…</div>}>
        <MonacoView text={text} language={language} label={label} dark={dark} onFind={(open) => setFind(() => open)} />
      </Suspense>
    </div>
  );
}
