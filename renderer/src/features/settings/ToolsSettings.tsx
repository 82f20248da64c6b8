import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { useTools } from './tools-store.js';

type Server = MethodOutput<'tools.servers'>['servers'][number];

/** Settings › Tools: MCP servers (added by hand or from Claude Desktop), their state, and each tool's approval rule. */
export function ToolsSettings() {
  const { servers, tools, error, load } = useTools();
  useEffect(() => {
    void load();
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
  const { confirm, restart, remove, setPolicy, busy } = useTools();
  const [trusted, setTrusted] = useState(false);
  const commandLine = [server.command, ...server.args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
  return (
    <li className="provider-card" data-testid={`tool-server-${server.id}`}>
      <div className="provider-head">
        <strong>{server.label}</strong>
        <span className={`badge ${server.status === 'ready' ? 'badge-ok' : ''}`} data-testid="server-status">
          {server.confirmed ? server.status : 'not started: confirm below'}
        </span>
        {server.builtin ? <span className="hint">Built in; read-only tools run without asking</span> : null}
        {!server.builtin && server.trusted ? <span className="hint">Trusted</span> : null}
      </div>
      {!server.builtin ? (
        <div className="tool-io">
          <span>Command</span>
          <pre>{commandLine}</pre>
          <span>Environment it gets (besides a minimal PATH and HOME; never your provider keys)</span>
          <pre>{Object.keys(server.env).length ? Object.entries(server.env).map(([k, v]) => `${k}=${v}`).join('\n') : '(nothing more)'}</pre>
        </div>
      ) : null}
      {server.error ? (
        <div className="test-failed" role="alert">
          {server.error}
        </div>
      ) : null}
      {!server.confirmed ? (
        <div className="provider-row">
          <label>
            <input type="checkbox" checked={trusted} onChange={(event) => setTrusted(event.target.checked)} /> Trust its read-only tools (run without asking)
          </label>
          <button type="button" className="primary" disabled={busy} onClick={() => void confirm(server.id, trusted)} data-testid="confirm-server">
            Start this server
          </button>
          <button type="button" onClick={() => void remove(server.id)}>
            Remove
          </button>
        </div>
      ) : !server.builtin ? (
        <div className="provider-row">
          <button type="button" disabled={busy} onClick={() => void restart(server.id)}>
            Restart
          </button>
          <button type="button" onClick={() => void remove(server.id)}>
            Remove
          </button>
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
                  <select aria-label={`When ${tool.name} may run`} value={tool.policy} onChange={(event) => void setPolicy(tool.id, event.target.value as 'auto' | 'ask' | 'deny')}>
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

function AddServer() {
  const { add, busy } = useTools();
  const [label, setLabel] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [claude, setClaude] = useState('');

  const submit = async () => {
    const environment = Object.fromEntries(
      env
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=') < 0 ? line.length : line.indexOf('=')), line.includes('=') ? line.slice(line.indexOf('=') + 1) : '']),
    );
    const added = await add({ servers: [{ label: label.trim(), command: command.trim(), args: args.split('\n').map((a) => a.trim()).filter(Boolean), env: environment }] });
    if (added) {
      setLabel('');
      setCommand('');
      setArgs('');
      setEnv('');
    }
  };

  return (
    <div className="add-server">
      <h3>Add an MCP server (stdio)</h3>
      <div className="field-grid">
        <input placeholder="Name, e.g. Files" value={label} onChange={(e) => setLabel(e.target.value)} aria-label="Server name" />
        <input placeholder="Command, e.g. npx" value={command} onChange={(e) => setCommand(e.target.value)} aria-label="Command" />
        <textarea rows={3} placeholder="Arguments, one per line" value={args} onChange={(e) => setArgs(e.target.value)} aria-label="Arguments" />
        <textarea rows={2} placeholder="Environment, KEY=value per line" value={env} onChange={(e) => setEnv(e.target.value)} aria-label="Environment" />
      </div>
      <button type="button" disabled={busy || !label.trim() || !command.trim()} onClick={() => void submit()} data-testid="add-server">
        Add (it starts only after you confirm)
      </button>
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
      <button type="button" disabled={busy || !claude.trim()} onClick={() => void add({ claudeConfig: claude }).then((ok) => ok && setClaude(''))} data-testid="import-claude">
        Import
      </button>
    </div>
  );
}
