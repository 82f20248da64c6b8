import { utilityProcess } from 'electron';
import type { BuiltinServerLauncher } from '../core/tools/builtin-config.js';
import { MessagePortTransport, utilityProcessEndpoint } from '../core/transport/message-port-transport.js';

/**
 * The desktop app runs its built-in tool server as an Electron utility process: Node without the app's binary
 * pretending to be Node (ELECTRON_RUN_AS_NODE), so the RunAsNode fuse can stay off. MCP goes over its message
 * port; it gets the same scrubbed environment a command server gets, and its stderr feeds the "last output".
 */
export const utilityProcessLauncher: BuiltinServerLauncher = ({ script, execArgv, env }) => {
  const child = utilityProcess.fork(script, [], { execArgv, env, stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'Coda tools' });
  return { transport: new MessagePortTransport(utilityProcessEndpoint(child)), stderr: child.stderr };
};
