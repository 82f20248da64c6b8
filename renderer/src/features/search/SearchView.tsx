import { useMemo, useState } from 'react';
import type { MessageRole, SearchFilters, SearchMode } from '../../../../shared/index.js';
import { useSessions } from '../sessions/sessions-store.js';
import { HitRow } from './HitRow.js';
import { jumpTo } from './jump.js';
import { useSearch } from './search-store.js';
import { useSearchResults } from './use-search-results.js';
import './search-modes.css';
import './search.css';

const VIEW_LIMIT = 100;
const DAY_MS = 86_400_000;

/** A date field's day as local midnight (ms), or undefined when empty. */
function dayStart(value: string): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** Keyword search by default; by meaning needs an embedding model (Settings › Recall), and says so when none is set. */
const SEARCH_MODES: [SearchMode, string][] = [
  ['keyword', 'Words'],
  ['semantic', 'Meaning'],
  ['hybrid', 'Both'],
];

/** Every chat searched at once, with filters; a hit opens its message in its chat. */
export function SearchView() {
  const initial = useSearch((s) => s.viewQuery);
  const sessions = useSessions((s) => s.sessions);
  const [query, setQuery] = useState(initial);
  const [sessionId, setSessionId] = useState('');
  const [role, setRole] = useState<MessageRole | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [model, setModel] = useState('');
  const [tools, setTools] = useState<'' | 'with' | 'without'>('');
  const [mode, setMode] = useState<SearchMode>('keyword');

  const filters = useMemo<SearchFilters>(() => {
    const f: SearchFilters = {};
    if (sessionId) f.sessionId = sessionId;
    if (role) f.role = role;
    const start = dayStart(from);
    const end = dayStart(to);
    if (start !== undefined) f.from = start;
    // The end date is included: up to the start of the day after it.
    if (end !== undefined) f.to = end + DAY_MS;
    if (model.trim()) f.model = model.trim();
    if (tools) f.hasToolCalls = tools === 'with';
    return f;
  }, [sessionId, role, from, to, model, tools]);
  const badRange = filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to;
  const results = useSearchResults(badRange ? '' : query, filters, VIEW_LIMIT, mode);
  const hits = results.state === 'done' || results.state === 'searching' ? results.hits : [];

  return (
    <section className="search-page" aria-labelledby="search-view-title" data-testid="search-view">
      {/* The app's page header, as Settings has: on a narrow window it leaves room for the drawer's menu button. */}
      <header className="chat-header">
        <h1 id="search-view-title">Search</h1>
      </header>
      <div className="search-view">
        <input
          className="search-view-input"
          type="search"
          aria-label="Search all chats"
          placeholder="Words to find…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoFocus
          data-testid="search-input"
        />
        <fieldset className="search-modes" data-testid="search-mode">
          <legend>Find by</legend>
          {SEARCH_MODES.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="search-mode"
                value={value}
                checked={mode === value}
                onChange={() => setMode(value)}
                data-testid={`search-mode-${value}`}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset className="search-filters">
          <legend>Filters</legend>
          <label>
            Chat
            <select value={sessionId} onChange={(e) => setSessionId(e.target.value)} data-testid="filter-chat">
              <option value="">All chats</option>
              {sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title || 'Untitled chat'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Written by
            <select value={role} onChange={(e) => setRole(e.target.value as MessageRole | '')} data-testid="filter-role">
              <option value="">Anyone</option>
              <option value="user">You</option>
              <option value="assistant">The model</option>
            </select>
          </label>
          <label>
            From
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="filter-from" />
          </label>
          <label>
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="filter-to" />
          </label>
          <label>
            Model
            <input type="text" value={model} placeholder="e.g. gpt-4.1-mini" onChange={(e) => setModel(e.target.value)} data-testid="filter-model" />
          </label>
          <label>
            Tool calls
            <select value={tools} onChange={(e) => setTools(e.target.value as '' | 'with' | 'without')} data-testid="filter-tools">
              <option value="">Any</option>
              <option value="with">With tool calls</option>
              <option value="without">Without tool calls</option>
            </select>
          </label>
        </fieldset>
        <p className="search-status" role="status" data-testid="search-status">
          {badRange
            ? 'The "From" date must not be after the "To" date.'
            : results.state === 'error'
              ? results.message
              : results.state === 'done'
                ? hits.length === 0
                  ? 'No messages match.'
                  : `${hits.length}${hits.length === VIEW_LIMIT ? '+' : ''} matching messages, best first.`
                : ''}
        </p>
        <ul className="search-hits search-view-hits" aria-label="Matching messages" data-testid="search-results">
          {hits.map((hit) => (
            <li key={hit.messageId}>
              <button type="button" className="search-hit" onClick={() => void jumpTo(hit)} data-testid="search-hit">
                <HitRow hit={hit} />
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
