import type { MethodOutput, OAuthSettingsInput } from '../../../../shared/index.js';
import { useTools } from './tools-store.js';

type Server = MethodOutput<'tools.servers'>['servers'][number];

/**
 * A remote server's OAuth state: a sign-in waiting for the user (opened in their browser, like any link), or
 * signed in with a way out. Servers that never asked for OAuth show nothing.
 */
export function ServerSignIn({ server }: { server: Server }) {
  const { signOut, busy } = useTools();
  if (server.signInUrl) {
    return (
      <div className="banner banner-warn" role="status" data-testid="sign-in-needed">
        <strong>{server.label}</strong> asks you to sign in before Coda can use its tools.{' '}
        <a href={server.signInUrl} target="_blank" rel="noopener noreferrer" className="button-link" data-testid="sign-in-link">
          Sign in in your browser
        </a>
        <span className="hint"> This page updates by itself once you are done.</span>
      </div>
    );
  }
  if (server.signedIn) {
    return (
      <div className="provider-row">
        <span className="hint" data-testid="signed-in">
          Signed in (OAuth)
        </span>
        <button type="button" disabled={busy} onClick={() => void signOut(server.id)} data-testid="sign-out">
          Sign out
        </button>
      </div>
    );
  }
  return null;
}

export interface OAuthDraft {
  grant: 'authorization_code' | 'client_credentials';
  clientId: string;
  clientSecret: string;
  privateKey: string;
  jwtAlgorithm: JwtAlgorithm;
  scope: string;
  callbackPort: string;
}

type JwtAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';
const JWT_ALGORITHMS: JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export const EMPTY_OAUTH: OAuthDraft = {
  grant: 'authorization_code',
  clientId: '',
  clientSecret: '',
  privateKey: '',
  jwtAlgorithm: 'RS256',
  scope: '',
  callbackPort: '',
};

/** The OAuth settings to send, or undefined when the user left them all empty (discovery and registration do the rest). */
export function oauthInput(draft: OAuthDraft): OAuthSettingsInput | undefined {
  const service = draft.grant === 'client_credentials';
  const input = {
    ...(service ? { grant: 'client_credentials' as const } : {}),
    ...(draft.clientId.trim() ? { clientId: draft.clientId.trim() } : {}),
    ...(draft.clientSecret.trim() ? { clientSecret: draft.clientSecret.trim() } : {}),
    ...(service && draft.privateKey.trim() ? { privateKey: draft.privateKey.trim(), jwtAlgorithm: draft.jwtAlgorithm } : {}),
    ...(draft.scope.trim() ? { scope: draft.scope.trim() } : {}),
    ...(!service && draft.callbackPort.trim() ? { callbackPort: Number(draft.callbackPort) } : {}),
  };
  return Object.keys(input).length ? input : undefined;
}

/** Only needed for a client registered ahead, or a server used as a service (no browser). */
export function OAuthFields({ draft, onChange }: { draft: OAuthDraft; onChange: (draft: OAuthDraft) => void }) {
  const service = draft.grant === 'client_credentials';
  return (
    <details className="oauth-fields">
      <summary>OAuth options (a client registered ahead, or sign-in as a service)</summary>
      <p className="hint">
        Servers that use OAuth ask you to sign in in your browser; Coda registers itself with them. Fill these only if the server&apos;s administrator gave you
        a client.{' '}
        {service
          ? 'As a service, Coda gets its tokens with the client’s secret or a JWT signed with its private key; no browser is involved.'
          : 'The redirect address is http://127.0.0.1:PORT/oauth/callback.'}
      </p>
      <div className="field-grid">
        <select value={draft.grant} onChange={(e) => onChange({ ...draft, grant: e.target.value as OAuthDraft['grant'] })} aria-label="How Coda signs in">
          <option value="authorization_code">As you, in your browser</option>
          <option value="client_credentials">As a service (client credentials)</option>
        </select>
        <input placeholder="Client ID" value={draft.clientId} onChange={(e) => onChange({ ...draft, clientId: e.target.value })} aria-label="OAuth client ID" />
        <input
          type="password"
          autoComplete="off"
          placeholder={service ? 'Client secret (or a private key below)' : 'Client secret (if any)'}
          value={draft.clientSecret}
          onChange={(e) => onChange({ ...draft, clientSecret: e.target.value })}
          aria-label="OAuth client secret"
        />
        {service ? (
          <>
            <textarea
              rows={3}
              placeholder="Private key (PEM), to sign JWT assertions instead of a secret"
              value={draft.privateKey}
              onChange={(e) => onChange({ ...draft, privateKey: e.target.value })}
              aria-label="OAuth private key"
            />
            <select
              value={draft.jwtAlgorithm}
              onChange={(e) => onChange({ ...draft, jwtAlgorithm: e.target.value as JwtAlgorithm })}
              aria-label="JWT signing algorithm"
            >
              {JWT_ALGORITHMS.map((alg) => (
                <option key={alg} value={alg}>
                  {alg}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <input
          placeholder="Scopes, space-separated (optional)"
          value={draft.scope}
          onChange={(e) => onChange({ ...draft, scope: e.target.value })}
          aria-label="OAuth scopes"
        />
        {!service ? (
          <input
            type="number"
            min={1024}
            max={65535}
            placeholder="Callback port (optional)"
            value={draft.callbackPort}
            onChange={(e) => onChange({ ...draft, callbackPort: e.target.value })}
            aria-label="OAuth callback port"
          />
        ) : null}
      </div>
    </details>
  );
}
