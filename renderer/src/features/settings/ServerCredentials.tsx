import { useState, type FormEvent } from 'react';
import type { MethodInput, MethodOutput } from '../../../../shared/index.js';
import { useTools } from './tools-store.js';

type Server = MethodOutput<'tools.servers'>['servers'][number];
type Replacement = Omit<MethodInput<'tools.updateSecrets'>, 'id'>;

/** One saved secret of a server as its card shows it, and how to send a new value for it. */
interface Credential {
  /** "Authorization: saved, ends in ab12": the value itself never reaches the renderer. */
  text: string;
  /** What the value is, for the Replace form's labels ("the Authorization header"). */
  name: string;
  replacement(value: string): Replacement;
  /** A PEM key spans lines, which a one-line field would drop. */
  multiline?: boolean;
}

type Hint = { saved: boolean; last4: string | null };
const masked = (secret: Hint): string => (!secret.saved ? 'not saved: use Replace to enter it' : secret.last4 ? `saved, ends in ${secret.last4}` : 'saved');

/** Header values, secret query parameters of the address and the token, key or password of a remote server or service. */
export function remoteCredentials(server: Server): Credential[] {
  const lines: Credential[] = server.headers.map((header) => ({
    text: `${header.name}: ${masked(header)}`,
    name: `the ${header.name} header`,
    replacement: (value) => ({ headers: { [header.name]: value } }),
  }));
  for (const parameter of server.secretQuery) {
    lines.push({
      text: `Query parameter ${parameter.name}: ${masked(parameter)}`,
      name: `the ${parameter.name} query parameter`,
      replacement: (value) => ({ query: { [parameter.name]: value } }),
    });
  }
  const auth = server.auth;
  if (auth?.type === 'bearer')
    lines.push({ text: `Bearer token: ${masked(auth)}`, name: 'the bearer token', replacement: (value) => ({ auth: { token: value } }) });
  if (auth?.type === 'apiKey') {
    lines.push({
      text: `API key (${auth.in === 'query' ? 'query parameter' : 'header'} ${auth.name ?? ''}): ${masked(auth)}`,
      name: 'the API key',
      replacement: (value) => ({ auth: { value } }),
    });
  }
  if (auth?.type === 'basic')
    lines.push({
      text: `Basic auth as ${auth.username ?? ''}, password: ${masked(auth)}`,
      name: 'the password',
      replacement: (value) => ({ auth: { password: value } }),
    });
  const client = server.oauthClient;
  if (client?.secret) {
    lines.push({
      text: `OAuth client ${client.clientId}${client.asService ? ' (as a service)' : ''}, secret: ${masked(client.secret)}`,
      name: 'the OAuth client secret',
      replacement: (value) => ({ oauth: { clientSecret: value } }),
    });
  }
  if (client?.privateKey) {
    lines.push({
      text: `OAuth client ${client.clientId} (as a service), private key: ${masked(client.privateKey)}`,
      name: 'the OAuth private key',
      replacement: (value) => ({ oauth: { privateKey: value } }),
      multiline: true,
    });
  }
  return lines;
}

/** A command's environment variables whose name looks secret (tokens, keys): kept in the key store, shown as a hint. */
export function envCredentials(server: Server): Credential[] {
  return server.secretEnv.map((variable) => ({
    text: `${variable.name} = ${masked(variable)}`,
    name: variable.name,
    replacement: (value) => ({ env: { [variable.name]: value } }),
  }));
}

/** Saved secrets of a server, each with a Replace action for a rotated or lost value (the server restarts with it). */
export function CredentialList({ server, credentials }: { server: Server; credentials: Credential[] }) {
  return (
    <ul className="credential-list" data-testid="server-secrets">
      {credentials.map((credential) => (
        <CredentialLine key={credential.name} server={server} credential={credential} />
      ))}
    </ul>
  );
}

function CredentialLine({ server, credential }: { server: Server; credential: Credential }) {
  const { updateSecrets, busy, secretsPersistent } = useTools();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const close = () => {
    setValue('');
    setEditing(false);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (value && (await updateSecrets({ id: server.id, ...credential.replacement(value) }))) close();
  };
  return (
    <li>
      <span className="credential-text" data-testid="credential-text">
        {credential.text}
      </span>
      {editing ? (
        <form className="credential-form" onSubmit={(event) => void save(event)}>
          {credential.multiline ? (
            <textarea
              rows={4}
              autoFocus
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-label={`New value of ${credential.name} for ${server.label}`}
            />
          ) : (
            <input
              type="password"
              autoComplete="off"
              autoFocus
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-label={`New value of ${credential.name} for ${server.label}`}
            />
          )}
          <button type="submit" className="primary" disabled={busy || !value} aria-label={`Save new value of ${credential.name}`}>
            Save
          </button>
          <button type="button" onClick={close} aria-label={`Cancel replacing ${credential.name}`}>
            Cancel
          </button>
          {!secretsPersistent ? <span className="hint">Kept only until Coda quits here (no OS keychain in this mode).</span> : null}
        </form>
      ) : (
        <button type="button" className="link" onClick={() => setEditing(true)} aria-label={`Replace ${credential.name} of ${server.label}`}>
          Replace
        </button>
      )}
    </li>
  );
}
