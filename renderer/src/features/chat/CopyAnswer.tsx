import { CopyButton } from '../markdown/CopyButton.js';
import { markdownToPlainText } from '../markdown/plain-text.js';

/** Copies an answer as the Markdown the model wrote, or as the text the reader sees. Nothing for an empty answer. */
export function CopyAnswer({ text }: { text: string }) {
  if (!text) return null;
  return (
    <>
      <CopyButton text={() => text} label="Copy Markdown" title="Copy the answer as Markdown" className="link" testId="copy-markdown" />
      <CopyButton text={() => markdownToPlainText(text)} label="Copy text" title="Copy the answer as plain text" className="link" testId="copy-text" />
    </>
  );
}

/** Copies a question as it was written. */
export function CopyQuestion({ text }: { text: string }) {
  if (!text) return null;
  return <CopyButton text={() => text} label="Copy" title="Copy the question" className="link" testId="copy-question" />;
}
