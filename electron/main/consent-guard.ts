import { methods, type Result } from '../../shared/index.js';
import type { CoreApi } from '../core/api/router.js';
import { consentFingerprint, serverConsentText, serverConsentView, type ServerConsentText } from '../core/tools/servers/consent.js';

/*
 * Calls from the desktop app's page that only a native dialog may say yes to: the page (or a script that took it
 * over) can draw and click its own buttons, but not the main process's dialogs. Plain logic, without Electron: the
 * dialogs come in as an interface (Electron's in native-dialogs.ts), so the guard is tested as it runs.
 */

/** What a call asks the user to agree to, or null when it needs nothing beyond the page. */
export type NativeConsent =
  /** Start a tool server: `fingerprint` is what the page showed, `trusted` what its checkbox said (the dialog's own checkbox decides). */
  | { kind: 'start-server'; id: string; fingerprint: string; trusted: boolean }
  /** Let one tool run without asking, from now on. */
  | { kind: 'auto-tool'; toolId: string }
  /** Run every tool without asking for one answer. */
  | { kind: 'auto-answer' };

/**
 * Which calls need the native yes. Input the contract refuses needs none: core refuses it the same way (the same
 * schema, the same defaults), so nothing that passes core can slip past here.
 */
export function nativeConsentFor(method: string, input: unknown): NativeConsent | null {
  if (method === 'tools.confirmServer') {
    const parsed = methods['tools.confirmServer'].input.safeParse(input ?? {});
    return parsed.success ? { kind: 'start-server', ...parsed.data } : null;
  }
  if (method === 'tools.setPolicy') {
    const parsed = methods['tools.setPolicy'].input.safeParse(input ?? {});
    return parsed.success && parsed.data.policy === 'auto' ? { kind: 'auto-tool', toolId: parsed.data.toolId } : null;
  }
  if (method === 'chat.send') {
    const parsed = methods['chat.send'].input.safeParse(input ?? {});
    return parsed.success && parsed.data.approval === 'auto' ? { kind: 'auto-answer' } : null;
  }
  return null;
}

export interface ConfirmText {
  title: string;
  message: string;
  detail: string;
  /** The button that says yes (Cancel is the default). */
  confirmLabel: string;
}

/** The native dialogs the guard asks; Electron's `dialog.showMessageBox` in the app, a script in tests. */
export interface ConsentDialogs {
  /** The "start this server" dialog, its trust checkbox ticked as the page asked; resolves with the user's answer. */
  startServer(text: ServerConsentText, trusted: boolean): Promise<{ start: boolean; trusted: boolean }>;
  confirm(text: ConfirmText): Promise<boolean>;
}

export function autoToolText(toolId: string): ConfirmText {
  return {
    title: 'Run a tool without asking',
    message: `Let ${JSON.stringify(toolId)} run without asking?`,
    detail:
      'The model will be able to call this tool with any arguments, and you will not see each call before it runs. You can set it back to "ask" in Settings › Tools.',
    confirmLabel: 'Run without asking',
  };
}

export function autoAnswerText(): ConfirmText {
  return {
    title: 'Run tools without asking',
    message: 'Run every tool without asking for this answer?',
    detail:
      'For this answer, every tool the model calls runs at once, including tools that change files or send data, and you will not see each call before it runs.',
    confirmLabel: 'Send and run tools',
  };
}

const cancelled = (message: string): Result<never> => ({ ok: false, error: { code: 'cancelled', message } });

/** One call from the page: asked natively when it needs it, then passed to core. */
export async function invokeWithConsent(core: CoreApi, dialogs: ConsentDialogs, method: string, input: unknown): Promise<Result<unknown>> {
  const consent = nativeConsentFor(method, input);
  if (!consent) return core.invoke(method, input);
  if (consent.kind === 'start-server') return startServer(core, dialogs, consent, input);
  const agreed = await dialogs.confirm(consent.kind === 'auto-tool' ? autoToolText(consent.toolId) : autoAnswerText());
  if (!agreed) return cancelled(consent.kind === 'auto-tool' ? 'Not changed.' : 'Not sent.');
  return core.invoke(method, input);
}

/**
 * Shows the server as core lists it now (not as the page describes it) and confirms the fingerprint of exactly
 * that: if the page changes or replaces the server while the dialog is open, core refuses the start.
 */
async function startServer(
  core: CoreApi,
  dialogs: ConsentDialogs,
  consent: Extract<NativeConsent, { kind: 'start-server' }>,
  input: unknown,
): Promise<Result<unknown>> {
  const listed = await core.invoke('tools.servers', {});
  if (!listed.ok) return listed;
  const server = listed.value.servers.find((s) => s.id === consent.id);
  // Core gives its own answer ("no such server", the built-in one cannot be confirmed).
  if (!server || server.builtin) return core.invoke('tools.confirmServer', input);
  const view = serverConsentView(server);
  const fingerprint = consentFingerprint(view);
  if (fingerprint !== consent.fingerprint) {
    return {
      ok: false,
      error: {
        code: 'conflict',
        message: `"${server.label}" changed after the page showed it, so it was not started. Look at it again and confirm what it is now.`,
      },
    };
  }
  const answer = await dialogs.startServer(serverConsentText(view), consent.trusted);
  if (!answer.start) return cancelled('Not started.');
  // An OpenAPI service's origin is pinned as the dialog showed it (the fingerprint covers it too).
  const origin = view.transport === 'openapi' && view.origin !== null ? { origin: view.origin } : {};
  return core.invoke('tools.confirmServer', { id: consent.id, fingerprint, trusted: answer.trusted, ...origin });
}
