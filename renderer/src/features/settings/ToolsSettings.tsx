import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { CredentialList, envCredentials, remoteCredentials } from './ServerCredentials.js';
import { EMPTY_OAUTH, OAuthFields, oauthInput, ServerSignIn } from './ServerSignIn.js';
import { useTools } from './tools-store.js';

type Server = MethodOutput<'tools.servers'>['servers'][number];

/** Settings › Tools: MCP servers (added by hand or from Claude Desktop), their state, and each tool's approval rule. */
export function ToolsSettings() {
  const { servers, tools, error, load } = useTools();
  useEffect(() => {
    void load();
    // A sign-in finished in the browser, or a server dropped: show it without a manual refresh.
    return api.onApp((event) => {
      if (event.type === 'tool-servers-changed') void load();
    });
  }, [load]);

  return (
    <div data-testid="tools-settings">
      {error ? (
        <div className="banner banner-error" role="alert" data-testid="tools-error">
          {error}
        </div>
      ) : null}
      <ul className="provider-list">
        {servers.map((server) => (
          <ServerCard key={server.id} server={server} tools={tools.filter((t) => t.server === server.id)} />
        ))}
      </ul>
      <AddServer />
    </div>
  );
}

function ServerCard({ server, tools }: { server: Server; tools: MethodOutput<'tools.list'>['tools'] }) {
  const { confirm, restart, remove, setPolicy, setTimeout: saveTimeout, busy } = useTools();
  const [timeout, setTimeoutDraft] = useState(String(server.timeoutSeconds));
  const [trusted, setTrusted] = useState(false);
  const commandLine = [server.command, ...server.args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
  const secretNames = new Set(server.secretEnv.map((variable) => variable.name));
  const plainEnv = Object.entries(server.env).filter(([name]) => !secretNames.has(name));
  return (
    <li className="provider-card" data-testid={`tool-server-${server.id}`}>
      <div className="provider-head">
        <strong>{server.label}</strong>
        <span className={`badge ${server.status === 'ready' ? 'badge-ok' : ''}`} data-testid="server-status">
          {!server.confirmed
            ? 'not started: confirm below'
            : server.status === 'needs-sign-in'
              ? 'sign-in needed'
              : server.status === 'needs-confirmation'
                ? 'needs confirmation'
                : server.status}
        </span>
        {server.builtin ? <span className="hint">Built in; read-only tools run without asking</span> : null}
        {!server.builtin && server.trusted ? <span className="hint">Trusted</span> : null}
      </div>
      {!server.builtin && server.transport !== 'stdio' ? (
        <div className="tool-io">
          <span>{server.transport === 'http' ? 'MCP endpoint' : 'OpenAPI description'}</span>
          {/* Secret query parameters (api_key=…) come masked from core, like header values. */}
          <pre data-testid="server-url">{server.url}</pre>
          {server.callOrigin ? (
            <>
              <span>Its calls, and the credentials with them, go to</span>
              <pre data-testid="server-origin">{server.callOrigin.pinned ?? '(not known yet: its description could not be read)'}</pre>
            </>
          ) : null}
          {remoteCredentials(server).length ? (
            <>
              <span>Credentials (values are never shown again)</span>
              <CredentialList server={server} credentials={remoteCredentials(server)} />
            </>
          ) : null}
        </div>
      ) : null}
      {!server.builtin && server.transport === 'stdio' ? (
        <div className="tool-io">
          <span>Command</span>
          <pre>{commandLine}</pre>
          <span>Environment it gets (besides a few basic variables of Coda's own, such as PATH and HOME; never your provider keys)</span>
          {plainEnv.length || !secretNames.size ? (
            <pre data-testid="server-env">{plainEnv.length ? plainEnv.map(([k, v]) => `${k}=${v}`).join('\n') : '(nothing more)'}</pre>
          ) : null}
          {secretNames.size ? <CredentialList server={server} credentials={envCredentials(server)} /> : null}
        </div>
      ) : null}
      <ServerSignIn server={server} />
      {server.error && !server.signInUrl ? (
        <div className="test-failed" role="alert">
          {server.error}
        </div>
      ) : null}
      <OriginChange server={server} />
      {!server.confirmed ? (
        <div className="provider-row">
          <label>
            <input type="checkbox" checked={trusted} onChange={(event) => setTrusted(event.target.checked)} /> Trust its read-only tools (run without asking)
          </label>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void confirm(server, trusted, server.callOrigin?.pinned ?? undefined)}
            data-testid="confirm-server"
          >
            Start this server
          </button>
          <RemoveServer server={server} onRemove={() => void remove(server.id)} />
        </div>
      ) : !server.builtin ? (
        <div className="provider-row">
          <label className="field">
            <span className="hint">Call timeout</span>
            <input
              type="number"
              min={1}
              max={3600}
              value={timeout}
              aria-label={`Call timeout of ${server.label} in seconds`}
              onChange={(e) => setTimeoutDraft(e.target.value)}
              onBlur={() => {
                const seconds = Number(timeout);
                if (Number.isFinite(seconds) && seconds >= 1 && seconds <= 3600 && seconds !== server.timeoutSeconds) void saveTimeout(server.id, seconds);
                else setTimeoutDraft(String(server.timeoutSeconds));
              }}
            />
            <span className="hint">s</span>
          </label>
          <button type="button" disabled={busy} onClick={() => void restart(server.id)}>
            Restart
          </button>
          <RemoveServer server={server} onRemove={() => void remove(server.id)} />
        </div>
      ) : null}
      {tools.length > 0 ? (
        <table className="price-table">
          <tbody>
            {tools.map((tool) => (
              <tr key={tool.id}>
                <td>
                  <code>{tool.name}</code>
                </td>
                <td className="hint">{tool.readOnly ? 'reads only' : 'may change things'}</td>
                <td>
                  <select
                    aria-label={`When ${tool.name} may run`}
                    value={tool.policy}
                    onChange={(event) => void setPolicy(tool.id, event.target.value as 'auto' | 'ask' | 'deny')}
                  >
                    <option value="auto">Run without asking</option>
                    <option value="ask">Ask each time</option>
                    <option value="deny">Never</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

/** An OpenAPI service whose description now sends calls to another origin: nothing goes there until the user agrees. */
function OriginChange({ server }: { server: Server }) {
  const { confirm, busy } = useTools();
  const changedTo = server.callOrigin?.changedTo;
  if (!server.confirmed || !changedTo) return null;
  return (
    <div className="provider-row" data-testid="origin-change">
      <span>
        Its description now sends calls to <code>{changedTo}</code>
        {server.callOrigin?.pinned ? (
          <>
            {' '}
            instead of <code>{server.callOrigin.pinned}</code>
          </>
        ) : null}
        . Nothing is sent there, credentials included, until you confirm.
      </span>
      <button type="button" className="primary" disabled={busy} onClick={() => void confirm(server, server.trusted, changedTo)} data-testid="confirm-origin">
        Send its calls to {changedTo}
      </button>
    </div>
  );
}

type Kind = 'stdio' | 'http' | 'openapi';

function AddServer() {
  const { add, busy, secretsPersistent } = useTools();
  const [kind, setKind] = useState<Kind>('stdio');
  const [label, setLabel] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [claude, setClaude] = useState('');
  const [oauth, setOauth] = useState(EMPTY_OAUTH);
  // Each way of adding shows its own failure beside its button, where the user is looking.
  const [formError, setFormError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);

  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  const pairs = (text: string) =>
    Object.fromEntries(lines(text).map((line) => (line.includes('=') ? [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] : [line, ''])));

  const submit = async () => {
    const name = label.trim();
    const server =
      kind === 'stdio'
        ? { label: name, command: command.trim(), args: lines(args), env: pairs(env) }
        : kind === 'http'
          ? {
              label: name,
              url: url.trim(),
              ...(token.trim() ? { headers: { authorization: `Bearer ${token.trim()}` } } : {}),
              ...(oauthInput(oauth) ? { oauth: oauthInput(oauth) } : {}),
            }
          : { label: name, openapi: url.trim(), ...(token.trim() ? { auth: { type: 'bearer' as const, token: token.trim() } } : {}) };
    const problem = await add({ servers: [server] });
    setFormError(problem);
    if (!problem) {
      setLabel('');
      setCommand('');
      setArgs('');
      setEnv('');
      setUrl('');
      setToken('');
      setOauth(EMPTY_OAUTH);
    }
  };

  const ready = label.trim() && (kind === 'stdio' ? command.trim() : url.trim());
  return (
    <div className="add-server">
      <h3>Add a tool server</h3>
      <div className="field-grid">
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} aria-label="Kind of server">
          <option value="stdio">MCP server (a command on this computer)</option>
          <option value="http">MCP server over HTTP</option>
          <option value="openapi">OpenAPI service (each operation a tool)</option>
        </select>
        <input placeholder="Name, e.g. Files" value={label} onChange={(e) => setLabel(e.target.value)} aria-label="Server name" />
        {kind === 'stdio' ? (
          <>
            <input placeholder="Command, e.g. npx" value={command} onChange={(e) => setCommand(e.target.value)} aria-label="Command" />
            <textarea rows={3} placeholder="Arguments, one per line" value={args} onChange={(e) => setArgs(e.target.value)} aria-label="Arguments" />
            <textarea rows={2} placeholder="Environment, KEY=value per line" value={env} onChange={(e) => setEnv(e.target.value)} aria-label="Environment" />
          </>
        ) : (
          <>
            <input
              type="url"
              placeholder={kind === 'http' ? 'https://example.com/mcp' : 'https://example.com/openapi.json'}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              aria-label={kind === 'http' ? 'MCP endpoint' : 'OpenAPI description address'}
            />
            <input
              type="password"
              autoComplete="off"
              placeholder="Bearer token (optional)"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-label="Bearer token"
            />
          </>
        )}
      </div>
      {kind === 'http' ? <OAuthFields draft={oauth} onChange={setOauth} /> : null}
      {!secretsPersistent ? (
        <p className="hint" data-testid="secrets-note">
          {kind === 'stdio' ? 'Variables whose name looks secret (TOKEN, KEY, PASSWORD…) are' : 'Secrets are'} kept only until Coda quits here (no OS keychain
          in this mode).
        </p>
      ) : null}
      <button type="button" disabled={busy || !ready} onClick={() => void submit()} data-testid="add-server">
        Add (it starts only after you confirm)
      </button>
      {formError ? (
        <p className="field-error" role="alert" data-testid="add-server-error">
          {formError}
        </p>
      ) : null}
      <h3>Or import from Claude Desktop</h3>
      <textarea
        rows={4}
        className="wide"
        placeholder='Paste claude_desktop_config.json: {"mcpServers": {...}}'
        value={claude}
        onChange={(e) => setClaude(e.target.value)}
        aria-label="Claude Desktop config"
        data-testid="claude-config"
      />
      <button
        type="button"
        disabled={busy || !claude.trim()}
        onClick={() =>
          void add({ claudeConfig: claude }).then((problem) => {
            setImportError(problem);
            if (!problem) setClaude('');
          })
        }
        data-testid="import-claude"
      >
        Import
      </button>
      {importError ? (
        <p className="field-error" role="alert" data-testid="import-error">
          {importError}
        </p>
      ) : null}
    </div>
  );
}

/** Remove, after a confirmation naming the server: its secrets go from the key store with it. */
function RemoveServer({ server, onRemove }: { server: Server; onRemove(): void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} data-testid="remove-server">
        Remove
      </button>
    );
  }
  return (
    <span className="message-confirm" role="group" aria-label={`Remove ${server.label}?`}>
      <button type="button" className="danger" autoFocus onClick={onRemove} data-testid="confirm-remove-server">
        Remove “{server.label}” and its secrets
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}
