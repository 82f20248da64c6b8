#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { MessagePortTransport, parentPortEndpoint } from '../../transport/message-port-transport.js';
import { createCodaToolServer } from './server.js';

// The bundled tool server: over the parent port when the desktop app runs it as an Electron utility process,
// over stdio when started as a plain process (by Coda's CLI and serve mode, or by any MCP client).
const parentPort = parentPortEndpoint();
await createCodaToolServer().connect(parentPort ? new MessagePortTransport(parentPort) : new StdioServerTransport());
