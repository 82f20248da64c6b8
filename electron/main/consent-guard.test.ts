import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput, Result } from '../../shared/index.js';
import { collectRun, ok, startTestCore, type TestCore } from '../../tests/helpers/core.js';
import { textReply } from '../../tests/provider-server/script.js';
import type { ServerConsentText } from '../core/tools/servers/consent.js';
import { invokeWithConsent, nativeConsentFor, type ConfirmText, type ConsentDialogs } from './consent-guard.js';

// The desktop app's guard on calls from the page, with a scripted user at the native dialogs and a real core.

const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

/** The user at the native dialogs: records what each showed, and answers as told (after `meanwhile`, the page's move). */
function scriptedUser(answers: { start?: boolean; trusted?: boolean; confirm?: boolean; meanwhile?: () => Promise<void> }) {
  const shown: { server: ServerConsentText[]; confirm: ConfirmText[] } = { server: [], confirm: [] };
  const dialogs: ConsentDialogs = {
    async startServer(text) {
      shown.server.push(text);
      await answers.meanwhile?.();
      return { start: answers.start ?? false, trusted: answers.trusted ?? false };
    },
    async confirm(text) {
      shown.confirm.push(text);
      return answers.confirm ?? false;
    },
  };
  return { dialogs, shown };
}

describe('which calls from the page need a native yes', () => {
  it('asks for starting a server and for anything that runs tools without asking, and nothing else', () => {
    expect(nativeConsentFor('tools.confirmServer', { id: 'files', fingerprint: 'f', trusted: true })).toEqual({
      kind: 'start-server',
      id: 'files',
      fingerprint: 'f',
      trusted: true,
    });
    expect(nativeConsentFor('tools.setPolicy', { toolId: 'files__write_file', policy: 'auto' })).toEqual({ kind: 'auto-tool', toolId: 'files__write_file' });
    expect(nativeConsentFor('tools.setPolicy', { toolId: 'files__write_file', policy: 'ask' })).toBeNull();
    expect(nativeConsentFor('tools.setPolicy', { toolId: 'files__write_file', policy: null })).toBeNull();
    const session = '0190a0a0-0000-7000-8000-000000000000';
    expect(nativeConsentFor('chat.send', { sessionId: session, text: 'hi', approval: 'auto' })).toEqual({ kind: 'auto-answer' });
    expect(nativeConsentFor('chat.send', { sessionId: session, text: 'hi', approval: 'deny' })).toBeNull();
    expect(nativeConsentFor('chat.send', { sessionId: session, text: 'hi' })).toBeNull();
    expect(nativeConsentFor('tools.servers', {})).toBeNull();
  });
});

describe('the IPC guard', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore();
  });
  afterAll(async () => {
    await t.dispose();
  });
  const listed = async (id: string) => ok(await t.core.invoke('tools.servers', {})).servers.find((s) => s.id === id);

  it('starts nothing when the page swaps the server while the dialog is open', async () => {
    ok(await t.core.invoke('tools.addServers', { servers: [{ label: 'helper', command: process.execPath, args: [everything, 'stdio'], env: {} }] }));
    const seen = await listed('helper');
    const marker = path.join(t.dataDir, 'swapped-in-ran');
    const user = scriptedUser({
      start: true,
      trusted: true,
      meanwhile: async () => {
        ok(await t.core.invoke('tools.removeServer', { id: 'helper' }));
        ok(
          await t.core.invoke('tools.addServers', {
            servers: [{ label: 'helper', command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`], env: {} }],
          }),
        );
      },
    });
    const result = await invokeWithConsent(t.core, user.dialogs, 'tools.confirmServer', { id: 'helper', fingerprint: seen?.fingerprint, trusted: true });

    expect(result.ok).toBe(false);
    expect(user.shown.server[0]?.detail).toContain(everything);
    const servers = ok(await t.core.invoke('tools.servers', {})).servers;
    expect(servers.filter((s) => !s.builtin).map((s) => ({ id: s.id, confirmed: s.confirmed, status: s.status }))).toEqual([
      { id: 'helper_2', confirmed: false, status: 'stopped' },
    ]);
    expect(existsSync(marker)).toBe(false);
    ok(await t.core.invoke('tools.removeServer', { id: 'helper_2' }));
  });

  it("refuses before any dialog when the page showed something else, and applies the dialog's trust checkbox", async () => {
    ok(
      await t.core.invoke('tools.addServers', {
        servers: [{ label: 'echo', command: process.execPath, args: [everything, 'stdio'], env: { GREETING: 'hello' } }],
      }),
    );
    const stale = scriptedUser({ start: true });
    expect(await invokeWithConsent(t.core, stale.dialogs, 'tools.confirmServer', { id: 'echo', fingerprint: 'f'.repeat(64), trusted: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(stale.shown.server).toEqual([]);

    const seen = await listed('echo');
    const cancelling = scriptedUser({ start: false });
    expect(
      await invokeWithConsent(t.core, cancelling.dialogs, 'tools.confirmServer', { id: 'echo', fingerprint: seen?.fingerprint, trusted: true }),
    ).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await listed('echo')).toMatchObject({ confirmed: false, status: 'stopped' });

    // The page asked for trust; the user unticked it in the native dialog, which is what counts.
    const user = scriptedUser({ start: true, trusted: false });
    ok(await invokeWithConsent(t.core, user.dialogs, 'tools.confirmServer', { id: 'echo', fingerprint: seen?.fingerprint, trusted: true }));
    expect(user.shown.server[0]).toMatchObject({ message: 'Start the tool server "echo"?', checkboxLabel: 'Trust its read-only tools' });
    expect(user.shown.server[0]?.detail).toContain('GREETING=hello');
    expect(await listed('echo')).toMatchObject({ confirmed: true, trusted: false, status: 'ready' });
    ok(await t.core.invoke('tools.removeServer', { id: 'echo' }));
  });

  it('lets a tool run without asking only after the native yes', async () => {
    const policies = async () => (JSON.parse((await t.file('preferences.json')) || '{}') as { toolPolicies?: Record<string, string> }).toolPolicies ?? {};
    const declined = scriptedUser({ confirm: false });
    expect(await invokeWithConsent(t.core, declined.dialogs, 'tools.setPolicy', { toolId: 'coda__convert_units', policy: 'auto' })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(declined.shown.confirm[0]?.message).toBe('Let "coda__convert_units" run without asking?');
    expect(await policies()).not.toHaveProperty('coda__convert_units');

    const agreed = scriptedUser({ confirm: true });
    ok(await invokeWithConsent(t.core, agreed.dialogs, 'tools.setPolicy', { toolId: 'coda__convert_units', policy: 'auto' }));
    expect(await policies()).toMatchObject({ coda__convert_units: 'auto' });

    // Asking again, or never, needs no dialog.
    const none = scriptedUser({});
    ok(await invokeWithConsent(t.core, none.dialogs, 'tools.setPolicy', { toolId: 'coda__convert_units', policy: 'ask' }));
    expect(none.shown.confirm).toEqual([]);
  });

  it('sends an answer that runs every tool without asking only after the native yes', async () => {
    const session = ok(await t.core.invoke('sessions.create', {}));
    const declined = scriptedUser({ confirm: false });
    expect(await invokeWithConsent(t.core, declined.dialogs, 'chat.send', { sessionId: session.id, text: 'tidy my files', approval: 'auto' })).toMatchObject({
      ok: false,
      error: { code: 'cancelled' },
    });
    expect(declined.shown.confirm[0]?.message).toBe('Run every tool without asking for this answer?');
    expect(ok(await t.core.invoke('messages.path', { sessionId: session.id })).messages).toEqual([]);

    t.provider.enqueue(textReply('Done.'));
    const agreed = scriptedUser({ confirm: true });
    const sent = (await invokeWithConsent(t.core, agreed.dialogs, 'chat.send', { sessionId: session.id, text: 'tidy my files', approval: 'auto' })) as Result<
      MethodOutput<'chat.send'>
    >;
    await collectRun(t.core, ok(sent).runId);
    expect(ok(await t.core.invoke('messages.path', { sessionId: session.id })).messages.map((m) => m.role)).toContain('user');
  });
});
