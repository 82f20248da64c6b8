import type { ElicitationAction, ElicitationContent, ElicitationSchema } from '../../../shared/index.js';
import type { ToolSecrets } from '../settings/tool-secrets.js';
import type { SignInHooks } from './oauth/server-oauth.js';

/**
 * What the host gives every tool source besides its configuration: where its secrets live, and the ways a source
 * reaches the user (a sign-in page to open, a question to answer mid-call). One object, so a new need is one field.
 */
export interface ConnectionServices {
  /** Header values, OpenAPI credentials and OAuth tokens, by server id (never in preferences). */
  secrets: ToolSecrets;
  /**
   * Asks the user what a server wants to know mid-call (MCP elicitation, form mode). Without it every question is
   * declined. The answer's content is checked and completed with the schema's defaults by the connection.
   */
  elicit?(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer>;
  /** How OAuth sign-in pages reach the user (printed by the CLI, followed by the conformance harness). */
  signIn?: SignInHooks;
}

/** A tool server's question: its message and the form it wants filled. */
export interface ElicitationRequest {
  serverId: string;
  serverLabel: string;
  message: string;
  requestedSchema: ElicitationSchema;
}

export interface ElicitationAnswer {
  action: ElicitationAction;
  /** Only with accept; fields left out take the schema's defaults. */
  content?: ElicitationContent;
}
