import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { CodaError } from '../../../../shared/index.js';
import type { ToolSecrets } from '../../settings/tool-secrets.js';
import { CLIENT_SECRET_NAME, type OAuthSettings } from './server-oauth.js';

export const PRIVATE_KEY_NAME = 'oauth:private-key';

/**
 * A server used as a service rather than as the user (OAuth client credentials, SEP-1046): no browser, tokens
 * fetched with the client's secret or a JWT signed with its private key. The SDK's providers do the grant.
 */
export function serviceAccountProvider(server: { id: string; label: string }, settings: OAuthSettings, secrets: ToolSecrets): OAuthClientProvider | null {
  if (settings.grant !== 'client_credentials') return null;
  if (!settings.clientId) throw new CodaError('validation', `"${server.label}" signs in as a service, which needs its client ID.`);
  const common = { clientId: settings.clientId, clientName: 'Coda Agent', ...(settings.scope ? { scope: settings.scope } : {}) };
  const privateKey = secrets.get(server.id, PRIVATE_KEY_NAME);
  if (privateKey) return new PrivateKeyJwtProvider({ ...common, privateKey, algorithm: settings.jwtAlgorithm ?? 'RS256' });
  const clientSecret = secrets.get(server.id, CLIENT_SECRET_NAME);
  if (clientSecret) return new ClientCredentialsProvider({ ...common, clientSecret });
  throw new CodaError('validation', `"${server.label}" signs in as a service, which needs its client secret or private key: enter one with Replace on its card in Settings › Tools.`);
}
