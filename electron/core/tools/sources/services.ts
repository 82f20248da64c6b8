import type { ElicitationAction, ElicitationContent, ElicitationSchema } from '../../../../shared/index.js';
import type { ToolSecrets } from '../../settings/tool-secrets.js';

/**
 * What the host gives every tool source besides its configuration: where its OAuth state is kept, and the ways a
 * source reaches the user (a sign-in page to open, a question to answer mid-call). One object, so a new need is one field.
 */
export interface ConnectionServices {
  /** Where a remote server's OAuth tokens and registration are kept, with its other secrets. */
  secrets: ToolSecrets;
  /**
   * Asks the user what a server wants to know mid-call (MCP elicitation, form mode). Without it every question is
   * declined. The answer's content is checked and completed with the schema's defaults by the connection.
   */
  elicit?(request: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer>;
  /** How OAuth sign-in pages reach the user (printed by the CLI, followed by the conformance harness). */
  signIn?: SignInHooks;
}

/** How the host shows a sign-in page: the CLI prints it, the conformance harness follows it; the app leaves it to the user. */
export interface SignInHooks {
  openSignIn?(url: URL, server: { id: string; label: string }): void | Promise<void>;
  /** How long a start or call waits for sign-in to finish; 0 fails at once with `sign_in_required` (the app). */
  waitMs?: number;
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
