import { loadSpec, type OpenApiDocument } from './spec.js';

/*
 * Where an OpenAPI service's calls go, and its credentials with them: the service address the user gave, or else the
 * first server its description names (relative to the description's own address). The user confirms that origin
 * and it is pinned (see settings/tool-servers.ts): a description that later names another origin (it changed at
 * the daily refresh, or its host was taken over) gets nothing until the user confirms the new one.
 */

/** The address operation paths are appended to. */
export function serviceBase(doc: OpenApiDocument, config: { specUrl?: string | undefined; baseUrl?: string | undefined }): string {
  const server = doc.servers?.[0]?.url;
  const base = config.baseUrl ?? (server && config.specUrl ? new URL(server, config.specUrl).href : server);
  if (!base) throw new Error('The description names no server; give the service address.');
  if (!URL.canParse(base)) throw new Error(`The description's server "${base}" is not a full address; give the service address.`);
  return base.replace(/\/+$/, '');
}

/** The origin of an address, as calls are compared and pinned by it (scheme, host and port). */
export function originOf(address: string): string {
  return new URL(address).origin;
}

/**
 * The origin a new service's calls will go to, to show before the user confirms it: from the service address, or
 * read from the description (nothing secret is sent for that but the keys its own address carries). Null when the
 * description cannot be read now: then the service asks again once it can tell.
 */
export async function resolveServiceOrigin(specUrl: string, baseUrl?: string): Promise<string | null> {
  try {
    if (baseUrl) return originOf(baseUrl);
    return originOf(serviceBase(await loadSpec({ url: specUrl }), { specUrl }));
  } catch {
    return null;
  }
}
