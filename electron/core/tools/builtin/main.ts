#!/usr/bin/env node
import { isMainThread, workerData } from 'node:worker_threads';

// The bundled tool server: over the parent port when the desktop app runs it as an Electron utility process, over
// stdio when started as a plain process (by Coda's CLI and serve mode, or by any MCP client). The same file is the
// worker thread its math tool evaluates expressions in (math-sandbox.ts), which loads only the math.
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'math') {
  const { serveMathRequests } = await import('./math-worker.js');
  serveMathRequests();
} else {
  const [{ StdioServerTransport }, { MessagePortTransport, parentPortEndpoint }, { createCodaToolServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../../transport/message-port-transport.js'),
    import('./server.js'),
  ]);
  const parentPort = parentPortEndpoint();
  await createCodaToolServer({ mathWorkerUrl: new URL(import.meta.url) }).connect(
    parentPort ? new MessagePortTransport(parentPort) : new StdioServerTransport(),
  );
}
