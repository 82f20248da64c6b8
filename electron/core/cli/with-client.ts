import type { CodaClient } from '../../../shared/index.js';
import type { Core } from '../core.js';
import type { CliContext } from './context.js';

/** Opens core for one command and hands `work` the typed client over it (in-process); core is closed however it ends. */
export async function withClient<T>(
  cli: CliContext,
  options: Parameters<CliContext['openCore']>[0],
  work: (client: CodaClient, core: Core) => Promise<T>,
): Promise<T> {
  // Loaded here, not at the top: a command's modules load only when it runs (see main.ts).
  const [core, { CodaClient }] = await Promise.all([cli.openCore(options), import('../../../shared/index.js')]);
  try {
    return await work(new CodaClient(core), core);
  } finally {
    await core.close();
  }
}
