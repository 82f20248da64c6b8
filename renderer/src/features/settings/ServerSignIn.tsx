import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { useTools } from './tools-store.js';

type Server = MethodOutput<'tools.servers'>['servers'][number];

/**
 * A remote server's OAuth state: a sign-in waiting for the user (opened in their browser, like any link), or
 * signed in with a way out. Servers that never asked for OAuth show nothing.
 */
export function ServerSignIn({ server }: { server: Server }) {
  const { signOut, busy } = useTools();
  if (server.status === 'needs-sign-in' && server.signInUrl) {
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
  clientId: string;
  clientSecret: string;
  scope: string;
  callbackPort: string;
}

export const EMPTY_OAUTH: OAuthDraft = { clientId: '', clientSecret: '', scope: '', callbackPort: '' };

/** The OAuth settings to send, or undefined when the user left them all empty (discovery and registration do the rest). */
export function oauthInput(draft: OAuthDraft): { clientId?: string; clientSecret?: string; scope?: string; callbackPort?: number } | undefined {
  const input = {
    ...(draft.clientId.trim() ? { clientId: draft.clientId.trim() } : {}),
    ...(draft.clientSecret.trim() ? { clientSecret: draft.clientSecret.trim() } : {}),
    ...(draft.scope.trim() ? { scope: draft.scope.trim() } : {}),
    ...(draft.callbackPort.trim() ? { callbackPort: Number(draft.callbackPort) } : {}),
  };
  return Object.keys(input).length ? input : undefined;
}

/** Only needed when the server's authorization server does not let Coda register itself. */
export function OAuthFields({ draft, onChange }: { draft: OAuthDraft; onChange: (draft: OAuthDraft) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)} className="oauth-fields">
      <summary>OAuth options (only for a client registered ahead)</summary>
      <p className="hint">
        Servers that use OAuth ask you to sign in in your browser; Coda registers itself with them. Fill these only if the server&apos;s
        administrator gave you a client ID. The redirect address is http://127.0.0.1:PORT/oauth/callback.
      </p>
      <div className="field-grid">
        <input placeholder="Client ID" value={draft.clientId} onChange={(e) => onChange({ ...draft, clientId: e.target.value })} aria-label="OAuth client ID" />
        <input
          type="password"
          autoComplete="off"
          placeholder="Client secret (if any)"
          value={draft.clientSecret}
          onChange={(e) => onChange({ ...draft, clientSecret: e.target.value })}
          aria-label="OAuth client secret"
        />
        <input placeholder="Scopes, space-separated (optional)" value={draft.scope} onChange={(e) => onChange({ ...draft, scope: e.target.value })} aria-label="OAuth scopes" />
        <input
          type="number"
          min={1024}
          max={65535}
          placeholder="Callback port (optional)"
          value={draft.callbackPort}
          onChange={(e) => onChange({ ...draft, callbackPort: e.target.value })}
          aria-label="OAuth callback port"
        />
      </div>
    </details>
  );
}
