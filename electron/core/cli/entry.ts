#!/usr/bin/env node
import { runCli } from './main.js';

// Commands return once their work is saved; serve returns only when the server is shut down.
process.exit(await runCli(process.argv));
