import type { ToolSecrets } from '../settings/tool-secrets.js';

/**
 * What the host gives every tool source besides its configuration: where its secrets live, and the ways a source
 * reaches the user (a sign-in page to open, a question to answer mid-call). One object, so a new need is one field.
 */
export interface ConnectionServices {
  /** Header values, OpenAPI credentials and OAuth tokens, by server id (never in preferences). */
  secrets: ToolSecrets;
}
