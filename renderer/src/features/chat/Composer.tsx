import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

interface Props {
  disabled: boolean;
  streaming: boolean;
  onSend(text: string): Promise<boolean>;
  onStop(): void;
  /** Controls shown beside the buttons (the model picker). */
  tools?: ReactNode;
}

/** Multi-line input: Enter sends, Shift+Enter adds a line. The text is kept if sending fails. */
export function Composer({ disabled, streaming, onSend, onStop, tools }: Props) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  useEffect(() => {
    if (!disabled) ref.current?.focus();
  }, [disabled]);

  const submit = async () => {
    const trimmed = text.trim();
    if (!trimmed || disabled || streaming) return;
    setText('');
    if (!(await onSend(trimmed))) setText(trimmed);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={ref}
        value={text}
        rows={1}
        placeholder={disabled ? 'Create or pick a chat to start' : 'Message (Enter to send, Shift+Enter for a new line)'}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-label="Message"
        data-testid="composer-input"
      />
      <div className="composer-actions">
        {tools}
        {streaming ? (
          <button type="button" className="stop" onClick={onStop} data-testid="stop">
            Stop
          </button>
        ) : (
          <button type="submit" disabled={disabled || !text.trim()} data-testid="send">
            Send
          </button>
        )}
      </div>
    </form>
  );
}
