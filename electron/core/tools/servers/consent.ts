import { createHash } from 'node:crypto';
import type { MethodOutput } from '../../../../shared/index.js';

/*
 * What the user is shown before a tool server starts, and the fingerprint that binds the confirmation to it. The
 * native dialog (desktop app) and Settings show this view; `tools.confirmServer` carries its fingerprint, and core
 * starts the server only while its current view still has that fingerprint. A page that swaps the server after the
 * user looked (same id, other command) gets a refusal, not a start.
 */

type ServerStatus = MethodOutput<'tools.servers'>['servers'][number];
/** The parts of a listed server that its confirmation shows (everything else, such as its state, may change freely). */
export type ShownServer = Pick<
  ServerStatus,
  'label' | 'transport' | 'url' | 'command' | 'args' | 'env' | 'secretEnv' | 'headers' | 'auth' | 'oauthClient' | 'callOrigin'
>;

/** One variable the command gets; secret ones are shown masked, as Settings shows them, never in full. */
interface ShownVariable {
  name: string;
  value: string;
  secret: boolean;
}

export type ServerConsentView =
  | { transport: 'stdio'; label: string; command: string; args: string[]; env: ShownVariable[] }
  | { transport: 'http'; label: string; address: string; headers: string[]; oauthClientId: string | null }
  | {
      transport: 'openapi';
      label: string;
      description: string;
      /** Where its calls, and the credentials with them, go: the origin being confirmed (null: not known yet). */
      origin: string | null;
      auth: { type: 'none' | 'bearer' | 'apiKey' | 'basic'; in: 'header' | 'query' | null; name: string | null; username: string | null } | null;
    };

/** The view of a listed server; its fields are built in a fixed order, so equal views give equal JSON. */
export function serverConsentView(server: ShownServer): ServerConsentView {
  if (server.transport === 'stdio') {
    const secret = new Set(server.secretEnv.map((variable) => variable.name));
    const env = Object.entries(server.env)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value, secret: secret.has(name) }));
    return { transport: 'stdio', label: server.label, command: server.command, args: [...server.args], env };
  }
  if (server.transport === 'http') {
    return {
      transport: 'http',
      label: server.label,
      address: server.url ?? server.command,
      headers: server.headers.map((header) => header.name),
      oauthClientId: server.oauthClient?.clientId ?? null,
    };
  }
  const auth = server.auth ? { type: server.auth.type, in: server.auth.in, name: server.auth.name, username: server.auth.username } : null;
  const origin = server.callOrigin?.changedTo ?? server.callOrigin?.pinned ?? null;
  return { transport: 'openapi', label: server.label, description: server.url ?? server.command, origin, auth };
}

/** sha256 over the view's JSON, tagged with a version so a later change of the view cannot match an old hash. */
export function consentFingerprint(view: ServerConsentView): string {
  return createHash('sha256')
    .update(`coda-server-consent-v1\n${JSON.stringify(view)}`)
    .digest('hex');
}

export function serverFingerprint(server: ShownServer): string {
  return consentFingerprint(serverConsentView(server));
}

/** The texts of the native "start this server" dialog: everything the fingerprint covers, nothing it does not. */
export interface ServerConsentText {
  title: string;
  message: string;
  detail: string;
  checkboxLabel: string;
}

export function serverConsentText(view: ServerConsentView): ServerConsentText {
  const sections: string[] = [];
  if (view.transport === 'stdio') {
    sections.push(`Command:\n${[view.command, ...view.args].map(shown).join(' ')}`);
    sections.push(
      `Environment:\n${
        view.env.map((v) => `${shown(v.name)}=${v.secret ? `${v.value} (secret, kept in the key store)` : shown(v.value)}`).join('\n') ||
        '(none of its own: it gets only basic variables such as HOME and PATH)'
      }`,
    );
  } else if (view.transport === 'http') {
    sections.push(`MCP endpoint:\n${shown(view.address)}`);
    if (view.headers.length) sections.push(`Headers sent (values kept in the key store):\n${view.headers.map(shown).join('\n')}`);
    if (view.oauthClientId !== null) sections.push(`OAuth client:\n${shown(view.oauthClientId)}`);
  } else {
    sections.push(`OpenAPI description:\n${shown(view.description)}`);
    sections.push(
      `Its calls, and the credentials with them, go to:\n${view.origin === null ? '(not known yet: the description could not be read)' : shown(view.origin)}`,
    );
    const auth = view.auth;
    if (auth && auth.type !== 'none') {
      const how =
        auth.type === 'bearer'
          ? 'a bearer token'
          : auth.type === 'apiKey'
            ? `an API key in the ${auth.in ?? 'header'} ${shown(auth.name ?? '')}`
            : `a password for the user ${shown(auth.username ?? '')}`;
      sections.push(`Calls are signed with ${how} (kept in the key store).`);
    }
  }
  const what = view.transport === 'stdio' ? 'program' : 'service';
  sections.push(
    `It will be able to do whatever this ${what} does with the arguments the model gives it. You are asked before each of its tools runs, unless you trust its read-only tools below.`,
  );
  return {
    title: 'Start a tool server',
    message: `Start the tool server ${quoted(view.label)}?`,
    detail: sections.join('\n\n'),
    checkboxLabel: 'Trust its read-only tools',
  };
}

/**
 * A value as the dialog shows it: as is when it is plain (a Windows path's backslashes too), else quoted with its line
 * breaks, control characters and text-direction marks written out, so no value can pose as another line or field.
 */
function shown(value: string): string {
  return value !== '' && !/[\s"'\p{Cc}\p{Cf}]/u.test(value) ? value : quoted(value);
}

function quoted(value: string): string {
  return JSON.stringify(value).replace(/\p{Cf}/gu, (c) => `\\u${c.codePointAt(0)?.toString(16).padStart(4, '0') ?? ''}`);
}
