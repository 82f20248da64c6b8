#!/usr/bin/env node
import { isMainThread, workerData } from 'node:worker_threads';

// The bundled tool server over stdio: started by Coda for its agent, or by any MCP client. The same file is the
// worker thread its math tool evaluates expressions in (math-sandbox.ts), which loads only the math.
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'math') {
  const { serveMathRequests } = await import('./math-worker.js');
  serveMathRequests();
} else {
  const [{ StdioServerTransport }, { createCodaToolServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/stdio.js'), import('./server.js')]);
  await createCodaToolServer({ mathWorkerUrl: new URL(import.meta.url) }).connect(new StdioServerTransport());
}
