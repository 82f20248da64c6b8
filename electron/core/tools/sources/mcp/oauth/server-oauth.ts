import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { CodaError } from '../../../../../../shared/index.js';
import type { OAuthState, ToolSecrets } from '../../../../settings/tool-secrets.js';
import type { OAuthSettings } from '../../../../settings/tool-servers.js';
import { APP_VERSION } from '../../../../version.js';
import type { SignInHooks } from '../../services.js';
import { CALLBACK_PATH, freeLoopbackPort, LoopbackReceiver } from './loopback-receiver.js';

/** Whether Coda holds OAuth tokens for a server, without a connection to ask. */
export function hasSavedTokens(secrets: ToolSecrets, serverId: string): boolean {
  return secrets.read(serverId).oauth?.tokens !== undefined;
}

/** Signs out: forgets tokens and registration, and the next connection signs in afresh (close the old one first). */
export function forgetSignIn(secrets: ToolSecrets, serverId: string): void {
  secrets.update(serverId, ({ oauth: _, ...rest }) => rest);
}

const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/**
 * OAuth for one remote MCP server, as the SDK's `OAuthClientProvider`: discovery, registration and token refresh are
 * the SDK's; this keeps the state in the secret store and receives the browser's answer on 127.0.0.1.
 */
export class ServerOAuth implements OAuthClientProvider {
  private port = 0;
  private verifier: string | null = null;
  private receiver: LoopbackReceiver | null = null;
  /** The code of the latest sign-in, until the connection takes it (it may arrive before the SDK gives up and asks). */
  private code: Promise<string> | null = null;
  /** Set when its connection closed: a flow still under way must neither open a listener nor save tokens. */
  private closed = false;
  /** The page the user must open to sign in, while a sign-in is waiting. */
  signInUrl: string | null = null;

  constructor(
    private readonly server: { id: string; label: string },
    /** The settings, with a pre-registered client's secret from the key store. */
    private readonly settings: OAuthSettings & { clientSecret?: string | undefined },
    private readonly secrets: ToolSecrets,
    private readonly hooks: SignInHooks = {},
  ) {}

  /** Picks the callback port before the SDK reads `redirectUrl` (a getter, so it cannot wait). */
  async prepare(): Promise<void> {
    if (this.port) return;
    this.port = this.settings.callbackPort ?? this.stored().callbackPort ?? (await freeLoopbackPort());
  }

  get waitMs(): number {
    return this.hooks.waitMs ?? 0;
  }

  get redirectUrl(): string {
    return `http://127.0.0.1:${this.port}${CALLBACK_PATH}`;
  }

  get clientMetadataUrl(): string | undefined {
    return this.settings.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Coda Agent',
      software_id: 'coda-agent',
      software_version: APP_VERSION,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A desktop app cannot keep a secret from its user: a public client, protected by PKCE (RFC 8252).
      token_endpoint_auth_method: 'none',
      ...(this.settings.scope ? { scope: this.settings.scope } : {}),
    };
  }

  state(): string {
    return randomBytes(24).toString('base64url');
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    if (this.settings.clientId) {
      const secret = this.settings.clientSecret;
      const bound = this.stored().client;
      // Keep the issuer the SDK bound the pre-registered client to on its first use.
      const issuer = bound?.client_id === this.settings.clientId ? bound.issuer : undefined;
      return { client_id: this.settings.clientId, ...(secret ? { client_secret: secret } : {}), ...(issuer ? { issuer } : {}) };
    }
    return this.stored().client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    if (this.closed) return;
    this.update({ client, callbackPort: this.port });
  }

  tokens(): OAuthTokens | undefined {
    return this.stored().tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    // An exchange that finishes after a sign-out or a removal must not bring the tokens back.
    if (this.closed) return;
    this.update({ tokens });
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.stored().discovery;
  }

  saveDiscoveryState(discovery: OAuthDiscoveryState): void {
    this.update({ discovery });
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new CodaError('sign_in_required', `No sign-in to "${this.server.label}" is in progress; start it again.`);
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'verifier') this.verifier = null;
    else if (scope === 'all') forgetSignIn(this.secrets, this.server.id);
    else this.update({ [scope === 'client' ? 'client' : scope]: undefined });
  }

  /** Waits on 127.0.0.1 for the browser's answer, then shows the page (or lets the host show it). */
  async redirectToAuthorization(url: URL): Promise<void> {
    if (this.closed) throw new CodaError('cancelled', `"${this.server.label}" was stopped before its sign-in began.`);
    this.receiver?.cancel();
    const receiver = new LoopbackReceiver(this.port, url.searchParams.get('state') ?? '', this.server.label);
    await receiver.listen(SIGN_IN_TIMEOUT_MS);
    if (this.closed) {
      receiver.cancel();
      throw new CodaError('cancelled', `"${this.server.label}" was stopped before its sign-in began.`);
    }
    this.receiver = receiver;
    this.code = receiver.code;
    this.signInUrl = url.href;
    // Answered, refused, timed out or replaced: this sign-in no longer waits, and a new start may begin another.
    const settled = () => {
      if (this.receiver !== receiver) return;
      this.receiver = null;
      this.signInUrl = null;
    };
    receiver.code.then(settled, settled);
    await this.hooks.openSignIn?.(url, this.server);
  }

  /** Whether a sign-in waits for the user's browser. */
  get waiting(): boolean {
    return this.receiver !== null;
  }

  /**
   * The authorization code of the latest sign-in, once the user has finished it, for the connection to exchange;
   * null when no sign-in was started since. A host that follows the page itself (the conformance harness) may be
   * done before the SDK reports that a sign-in is needed, so this outlives the wait.
   */
  takeCode(): Promise<string> | null {
    const code = this.code;
    this.code = null;
    return code;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get signedIn(): boolean {
    return this.stored().tokens !== undefined;
  }

  /** Its connection closed (restart, removal, sign-out, quit): stop waiting, and let nothing under way save. */
  close(): void {
    this.closed = true;
    this.cancel();
  }

  /** Stops waiting for a sign-in. */
  cancel(): void {
    this.receiver?.cancel();
    this.receiver = null;
    this.code = null;
    this.signInUrl = null;
  }

  private stored(): OAuthState {
    return this.secrets.read(this.server.id).oauth ?? {};
  }

  /** Kept in the server's secrets record, beside its header values and client secret. */
  private update(change: Partial<OAuthState>): void {
    this.secrets.update(this.server.id, (secrets) => ({ ...secrets, oauth: { ...secrets.oauth, ...change } }));
  }
}
