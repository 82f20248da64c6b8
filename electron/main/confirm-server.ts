import { dialog, type BrowserWindow } from 'electron';
import type { MethodOutput } from '../../shared/index.js';
import type { CoreApi } from '../core/api/router.js';

/**
 * Starting a tool server runs a program on this computer, so the final yes comes from a native dialog that the
 * page cannot draw or click for itself: it shows the full command line and environment from core, not from the
 * renderer's request.
 */
export async function confirmServerNatively(core: CoreApi, window: BrowserWindow | null, input: unknown): Promise<boolean> {
  const id = typeof input === 'object' && input !== null && 'id' in input ? String((input as { id: unknown }).id) : '';
  const listed = await core.invoke('tools.servers', {});
  if (!listed.ok) return false;
  const server = (listed.value as MethodOutput<'tools.servers'>).servers.find((s) => s.id === id);
  if (!server) return true; // core answers "not found" itself
  const what =
    server.transport === 'stdio'
      ? `Command:\n${[server.command, ...server.args].join(' ')}\n\nEnvironment:\n${Object.entries(server.env).map(([k, v]) => `${k}=${v}`).join('\n') || '(none of its own: it gets only basic variables such as HOME and PATH)'}`
      : `Address:\n${server.url ?? server.command}${server.callOrigin ? `\n\nIts calls, and the credentials with them, go to:\n${server.callOrigin.changedTo ?? server.callOrigin.pinned ?? '(not known yet)'}` : ''}`;
  const options = {
    type: 'warning' as const,
    buttons: ['Start', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Start the tool server "${server.label}"?`,
    detail: `${what}\n\nIt will be able to do whatever this ${server.transport === 'stdio' ? 'program' : 'service'} does with the arguments the model gives it; you are asked before its tools run unless you trust it.`,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return response === 0;
}
