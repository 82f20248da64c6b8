#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createCodaToolServer } from './server.js';

// The bundled tool server over stdio: started by Coda for its agent, or by any MCP client.
await createCodaToolServer().connect(new StdioServerTransport());
