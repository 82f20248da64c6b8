import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { CodaError } from '../../../../../../shared/index.js';
import type { HttpServerConfig } from '../../source.js';

/**
 * A server used as a service rather than as the user (OAuth client credentials, SEP-1046): no browser, tokens
 * fetched with the client's secret or a JWT signed with its private key. The SDK's providers do the grant.
 */
export function serviceAccountProvider(server: { id: string; label: string }, settings: NonNullable<HttpServerConfig['oauth']>): OAuthClientProvider | null {
  if (settings.grant !== 'client_credentials') return null;
  if (!settings.clientId) throw new CodaError('validation', `"${server.label}" signs in as a service, which needs its client ID.`);
  const common = { clientId: settings.clientId, clientName: 'Coda Agent', ...(settings.scope ? { scope: settings.scope } : {}) };
  if (settings.privateKey) return new PrivateKeyJwtProvider({ ...common, privateKey: settings.privateKey, algorithm: settings.jwtAlgorithm ?? 'RS256' });
  if (settings.clientSecret) return new ClientCredentialsProvider({ ...common, clientSecret: settings.clientSecret });
  throw new CodaError(
    'validation',
    `"${server.label}" signs in as a service, which needs its client secret or private key: enter one with Replace on its card in Settings › Tools.`,
  );
}
