import { useEffect, useId, useRef, useState } from 'react';
import type { MergeMode, Session, TreeNode } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from '../chat/chat-store.js';
import { useSessions } from '../sessions/sessions-store.js';
import { useTree } from '../tree/tree-store.js';
import { branchToMerge, pathTo } from './merge-branch.js';
import { closeMerge, useMerge } from './merge-store.js';
import './merge.css';

/** The merge dialog, while "Merge into…" is asked for (mounted once, in the app shell). */
export function MergeDialog() {
  const request = useMerge((s) => s.request);
  return request ? <Dialog key={`${request.sessionId}:${request.messageId}`} sessionId={request.sessionId} messageId={request.messageId} /> : null;
}

interface Loaded {
  source: Session;
  messages: TreeNode[];
  /** The message is off the branch the chat shows (so it can be merged into that branch). */
  diverges: boolean;
  /** The last message of the branch the chat shows (where "this chat's current branch" appends). */
  shownLeaf: TreeNode | null;
  /** The summaries' model from Settings; null: the target chat's own model writes the summary. */
  summarizer: { provider: string; model: string } | null;
}

const who = (node: TreeNode) => (node.role === 'user' ? 'You' : node.role === 'assistant' ? (node.model ?? 'Answer') : node.role);
const quote = (text: string) => `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`;

function Dialog({ sessionId, messageId }: { sessionId: string; messageId: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [into, setInto] = useState<'branch' | 'chat'>('branch');
  const [chat, setChat] = useState<Session | null>(null);
  const [mode, setMode] = useState<MergeMode>('messages');
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    const previous = returnFocus.current;
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [source, tree, settings] = await Promise.all([
          api.call('sessions.get', { id: sessionId }),
          api.call('sessions.tree', { sessionId }),
          api.call('summaries.settings', {}),
        ]);
        if (!live) return;
        const branch = branchToMerge(tree.nodes, tree.activeLeafId, messageId);
        setLoaded({ source, ...branch, shownLeaf: pathTo(tree.nodes, tree.activeLeafId).at(-1) ?? null, summarizer: settings.model });
        setSelected(new Set(branch.messages.map((m) => m.id)));
        setInto(branch.diverges ? 'branch' : 'chat');
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    })();
    return () => {
      live = false;
    };
  }, [sessionId, messageId]);
  useEffect(() => {
    if (loaded) dialog.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, [loaded]);

  const picked = loaded?.messages.filter((m) => selected.has(m.id)) ?? [];
  const targetSession = into === 'branch' ? (loaded?.source ?? null) : chat;
  const summarizer = loaded?.summarizer ?? (targetSession ? { provider: targetSession.settings.provider, model: targetSession.settings.model } : null);
  const ready = loaded !== null && picked.length > 0 && targetSession !== null && !busy;

  const merge = async () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const target = await api.call('messages.merge', {
        targetSessionId: targetSession.id,
        sourceSessionId: sessionId,
        messageIds: picked.map((m) => m.id),
        mode,
      });
      closeMerge();
      if (target.id === useChat.getState().sessionId) {
        await useChat.getState().reload();
        if (useTree.getState().open) void useTree.getState().load(target.id);
      } else useSessions.getState().select(target.id);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  const where =
    into === 'branch'
      ? `at the end of this chat's current branch${loaded?.shownLeaf ? `, after ${quote(loaded.shownLeaf.excerpt)}` : ''}`
      : chat
        ? `at the end of the chat “${chat.title}” (its branch shown)`
        : '';
  const what =
    mode === 'messages'
      ? `${picked.length} ${picked.length === 1 ? 'copy' : 'copies'} of the selected messages (their words; usage, tool calls and files stay with the originals), each marked with where it came from,`
      : `one summary of the ${picked.length} selected messages, written by ${summarizer ? `${summarizer.provider}/${summarizer.model}` : 'the summarizer'} (its cost is counted), marked with what it covers,`;

  return (
    <div className="merge-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeMerge()}>
      <div
        ref={dialog}
        className="merge-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          closeMerge();
        }}
        data-testid="merge-dialog"
      >
        <h2 id={titleId}>Merge into…</h2>
        {!loaded && !error ? <p role="status">Reading the branch…</p> : null}
        {loaded ? (
          <>
            <fieldset>
              <legend>
                Messages of “{loaded.source.title}”{loaded.diverges ? ' from where this branch leaves the one shown' : ''}
              </legend>
              {loaded.messages.length > 1 ? (
                <div className="merge-select-all">
                  <button type="button" className="link-button" onClick={() => setSelected(new Set(loaded.messages.map((m) => m.id)))} data-testid="merge-all">
                    Select all
                  </button>
                  <button type="button" className="link-button" onClick={() => setSelected(new Set())} data-testid="merge-none">
                    Select none
                  </button>
                  <span className="hint">
                    {selected.size} of {loaded.messages.length} chosen
                  </span>
                </div>
              ) : null}
              <ul className="merge-messages">
                {loaded.messages.map((m) => (
                  <li key={m.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={selected.has(m.id)}
                        onChange={(e) => {
                          const next = new Set(selected);
                          if (e.target.checked) next.add(m.id);
                          else next.delete(m.id);
                          setSelected(next);
                        }}
                        data-testid="merge-message"
                      />
                      <span className="merge-who">{who(m)}</span> <span className="merge-excerpt">{m.excerpt || '…'}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <fieldset>
              <legend>Into</legend>
              <label>
                <input
                  type="radio"
                  name="merge-into"
                  checked={into === 'branch'}
                  disabled={!loaded.diverges}
                  onChange={() => setInto('branch')}
                  data-testid="merge-into-branch"
                />
                This chat&apos;s current branch{loaded.diverges ? '' : ' (these messages are on it already)'}
              </label>
              <label>
                <input type="radio" name="merge-into" checked={into === 'chat'} onChange={() => setInto('chat')} data-testid="merge-into-chat" />
                Another chat
              </label>
              {into === 'chat' ? <ChatChooser exclude={sessionId} chosen={chat} onChoose={setChat} /> : null}
            </fieldset>
            <fieldset>
              <legend>As</legend>
              <label>
                <input type="radio" name="merge-mode" checked={mode === 'messages'} onChange={() => setMode('messages')} data-testid="merge-mode-messages" />
                The messages (copies)
              </label>
              <label>
                <input type="radio" name="merge-mode" checked={mode === 'summary'} onChange={() => setMode('summary')} data-testid="merge-mode-summary" />
                One summary, written by {summarizer ? `${summarizer.provider}/${summarizer.model}` : 'the summarizer model'}
              </label>
            </fieldset>
            <p className="merge-what" aria-live="polite" data-testid="merge-what">
              {picked.length === 0
                ? 'Select at least one message.'
                : targetSession === null
                  ? 'Choose the chat to merge into.'
                  : `Writes ${what} ${where}. Delete undoes it.`}
            </p>
          </>
        ) : null}
        {error ? (
          <p className="banner banner-error" role="alert" data-testid="merge-error">
            {error}
          </p>
        ) : null}
        <div className="merge-buttons">
          <button type="button" className="primary" disabled={!ready} onClick={() => void merge()} data-testid="merge-confirm">
            {busy ? (mode === 'summary' ? 'Summarizing…' : 'Merging…') : 'Merge'}
          </button>
          <button type="button" onClick={closeMerge}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

/** A searchable list of chats (by title) to merge into; the chat merged from is offered as its current branch instead. */
function ChatChooser({ exclude, chosen, onChoose }: { exclude: string; chosen: Session | null; onChoose(session: Session): void }) {
  const [query, setQuery] = useState('');
  const [chats, setChats] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .call('sessions.list', { limit: 20, ...(query.trim() ? { query: query.trim() } : {}) })
        .then((page) => live && setChats(page.items.filter((s) => s.id !== exclude)))
        .catch((e: unknown) => live && setError((e as Error).message));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, exclude]);
  return (
    <div className="merge-chats">
      <input
        type="search"
        aria-label="Find a chat by its title"
        placeholder="Find a chat…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="merge-chat-search"
      />
      {error ? <p role="alert">{error}</p> : null}
      {chats && chats.length === 0 ? <p className="merge-none">No other chat{query.trim() ? ' with that in its title' : ''}.</p> : null}
      <div className="merge-chat-list" role="radiogroup" aria-label="Chats">
        {(chats ?? []).map((s) => (
          <label key={s.id}>
            <input type="radio" name="merge-chat" checked={chosen?.id === s.id} onChange={() => onChoose(s)} data-testid="merge-chat" />
            {s.title}
          </label>
        ))}
      </div>
    </div>
  );
}
