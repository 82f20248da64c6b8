import { CopyButton } from '../markdown/CopyButton.js';
import { markdownToPlainText } from '../markdown/plain-text.js';

/** Copies a finished answer as the Markdown the model wrote, or as the text the reader sees. */
export function CopyAnswer({ text }: { text: string }) {
  return (
    <div className="message-actions" data-testid="answer-actions">
      <CopyButton text={() => text} label="Copy Markdown" title="Copy the answer as Markdown" testId="copy-markdown" />
      <CopyButton text={() => markdownToPlainText(text)} label="Copy text" title="Copy the answer as plain text" testId="copy-text" />
    </div>
  );
}
