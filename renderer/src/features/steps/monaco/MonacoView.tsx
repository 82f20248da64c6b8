import { useEffect, useRef } from 'react';
import { restoreStyles } from './inline-styles.js';
import { monaco } from './monaco.js';

interface Props {
  text: string;
  language: string;
  /** The editor's accessible name ("Arguments of weather › forecast"). */
  label: string;
  dark: boolean;
  /** Receives a function that opens the editor's find widget, once the editor exists. */
  onFind(open: (() => void) | null): void;
}

/** Lines the viewer grows to before it scrolls. */
const MAX_LINES = 24;
/** Above this a text is shown without wrapping: wrapping a megabyte-long line would be measured on this thread. */
const WRAP_LIMIT = 200_000;

/** A read-only Monaco editor sized to its text (up to MAX_LINES), in the app's light or dark theme. */
export default function MonacoView({ text, language, label, dark, onFind }: Props) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const stopRestoring = restoreStyles(element);
    const model = monaco.editor.createModel(text, language);
    const editor = monaco.editor.create(element, {
      model,
      readOnly: true,
      domReadOnly: true,
      ariaLabel: label,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: text.length <= WRAP_LIMIT ? 'on' : 'off',
      lineNumbers: 'on',
      lineNumbersMinChars: 3,
      folding: true,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      contextmenu: true,
      fontSize: 12,
      scrollbar: { alwaysConsumeMouseWheel: false },
      find: { addExtraSpaceOnTop: false, seedSearchStringFromSelection: 'selection' },
      theme: dark ? 'vs-dark' : 'vs',
    });
    const lineHeight = editor.getOption(monaco.editor.EditorOption.lineHeight);
    const fit = () => {
      element.style.height = `${Math.min(editor.getContentHeight(), lineHeight * MAX_LINES + 8)}px`;
    };
    fit();
    const sizing = editor.onDidContentSizeChange(fit);
    onFind(() => {
      editor.focus();
      void editor.getAction('actions.find')?.run();
    });
    return () => {
      onFind(null);
      sizing.dispose();
      editor.dispose();
      model.dispose();
      stopRestoring();
    };
    // The editor is made once per text; its theme follows below without remaking it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, language]);

  useEffect(() => monaco.editor.setTheme(dark ? 'vs-dark' : 'vs'), [dark]);

  return <div ref={host} className="code-view-editor" data-testid="monaco-editor" />;
}
