import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { api } from '../../api/client.js';
import { useComposerTools } from './composer-tools.js';

export interface AttachedResource {
  server: string;
  uri: string;
  name: string;
}

interface Props {
  disabled: boolean;
  streaming: boolean;
  /** `overBudget`: the user chose to send this one although a blocking spending limit is reached. */
  onSend(text: string, resources: AttachedResource[], overBudget?: true): Promise<boolean>;
  onStop(): void;
  /** Above the field (spending limits): given a way to send the current text anyway, past a blocking limit. */
  notice?: (sendAnyway: () => void) => ReactNode;
  /** Beside the buttons, given the text being typed (the context gauge). */
  meter?: (draft: string) => ReactNode;
  /** Controls shown beside the buttons (the model picker). */
  tools?: ReactNode;
}

/**
 * Multi-line input: Enter sends, Shift+Enter adds a line. "/" lists the MCP servers' prompts; the paperclip
 * attaches their resources. The text is kept if sending fails.
 */
export function Composer({ disabled, streaming, onSend, onStop, tools, notice, meter }: Props) {
  const [text, setText] = useState('');
  const [attached, setAttached] = useState<AttachedResource[]>([]);
  const [picking, setPicking] = useState(false);
  const [promptArgs, setPromptArgs] = useState<{
    server: string;
    name: string;
    fields: { name: string; description: string; required: boolean }[];
    values: Record<string, string>;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const { prompts, resources, load, refresh } = useComposerTools();

  // Servers added, removed or started while the chat was away (in Settings), or while it shows (a server's own
  // list changed, a sign-in finished): the prompts and resources follow.
  useEffect(() => {
    void refresh();
    return api.onApp((event) => {
      if (event.type === 'tool-servers-changed') void refresh();
    });
  }, [refresh]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  // Ready again (sent, loaded): the message field takes the focus back, unless the user has moved it elsewhere
  // meanwhile (the chat filter, a setting): a disabled field drops the focus to the page body.
  useEffect(() => {
    const active = document.activeElement;
    if (!disabled && (active === null || active === document.body)) ref.current?.focus();
  }, [disabled]);

  const slash = /^\/(\S*)$/.exec(text);
  const matching = useMemo(
    () => (slash ? prompts.filter((p) => p.name.toLowerCase().includes((slash[1] ?? '').toLowerCase())).slice(0, 8) : []),
    [slash, prompts],
  );
  useEffect(() => {
    if (slash) void load();
  }, [slash, load]);

  const runPrompt = async (server: string, name: string, args: Record<string, string>) => {
    try {
      const result = await api.call('tools.getPrompt', { server, name, arguments: args });
      setText(result.text);
      setPromptArgs(null);
      setError(null);
      ref.current?.focus();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const submit = async (overBudget?: true) => {
    const trimmed = text.trim();
    if (!trimmed || disabled || streaming) return;
    const sending = attached;
    setText('');
    setAttached([]);
    if (!(await onSend(trimmed, sending, overBudget))) {
      setText(trimmed);
      setAttached(sending);
    }
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
      {notice?.(() => void submit(true))}
      {attached.length > 0 || error ? (
        <div className="composer-extras">
          {attached.map((a) => (
            <span key={`${a.server}:${a.uri}`} className="chip" data-testid="attached-resource">
              {a.name}
              <button type="button" className="icon" aria-label={`Remove ${a.name}`} onClick={() => setAttached(attached.filter((x) => x !== a))}>
                ×
              </button>
            </span>
          ))}
          {error ? <span className="test-failed">{error}</span> : null}
        </div>
      ) : null}
      {matching.length > 0 && !promptArgs ? (
        <ul className="popup" role="listbox" aria-label="Prompts" data-testid="prompt-list">
          {matching.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                onClick={() =>
                  p.arguments.length > 0
                    ? setPromptArgs({ server: p.server, name: p.name, fields: p.arguments, values: {} })
                    : void runPrompt(p.server, p.name, {})
                }
              >
                <code>/{p.name}</code>{' '}
                <span className="hint">
                  {p.server} · {p.description}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {promptArgs ? (
        <div className="popup prompt-args" data-testid="prompt-args">
          <strong>/{promptArgs.name}</strong>
          {promptArgs.fields.map((f) => (
            <input
              key={f.name}
              placeholder={`${f.name}${f.required ? '' : ' (optional)'}${f.description ? `: ${f.description}` : ''}`}
              aria-label={f.name}
              value={promptArgs.values[f.name] ?? ''}
              onChange={(e) => setPromptArgs({ ...promptArgs, values: { ...promptArgs.values, [f.name]: e.target.value } })}
            />
          ))}
          <div className="approval-buttons">
            <button type="button" className="primary" onClick={() => void runPrompt(promptArgs.server, promptArgs.name, promptArgs.values)}>
              Use prompt
            </button>
            <button type="button" onClick={() => setPromptArgs(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {picking ? (
        <ul className="popup" role="listbox" aria-label="Resources" data-testid="resource-list">
          {resources.length === 0 ? <li className="hint">No tool server offers resources.</li> : null}
          {resources.map((r) => (
            <li key={`${r.server}:${r.uri}`}>
              <button
                type="button"
                onClick={() => {
                  if (!attached.some((a) => a.server === r.server && a.uri === r.uri))
                    setAttached([...attached, { server: r.server, uri: r.uri, name: r.name || r.uri }]);
                  setPicking(false);
                }}
              >
                {r.name || r.uri} <span className="hint">{r.server}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer-row">
        <button
          type="button"
          className="icon-text"
          aria-label="Attach a resource"
          title="Attach a resource from a tool server"
          onClick={() => {
            void load();
            setPicking(!picking);
          }}
          data-testid="attach"
        >
          Attach
        </button>
        <textarea
          ref={ref}
          value={text}
          rows={1}
          placeholder={disabled ? 'Create or pick a chat to start' : 'Message · Enter sends · Shift+Enter new line · / prompts'}
          disabled={disabled}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Message"
          data-testid="composer-input"
        />
        <div className="composer-actions">
          {meter?.(text)}
          {tools}
          {streaming ? (
            <button type="button" className="stop" onClick={onStop} title="Stop the answer (Esc)" aria-keyshortcuts="Escape" data-testid="stop">
              Stop
            </button>
          ) : (
            <button type="submit" disabled={disabled || !text.trim()} data-testid="send">
              Send
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
