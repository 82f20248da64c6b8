// Runs the MCP conformance suite (client mode) against Coda's MCP client through tests/conformance/client.ts.
// Known failures are listed in tests/conformance/expected-failures.yml; anything else failing fails the run.
import { spawnSync } from 'node:child_process';

const command = 'node --import tsx tests/conformance/client.ts';
const runs = [
  ['--scenario', 'initialize'],
  ['--scenario', 'tools_call'],
  ['--scenario', 'sse-retry'],
  ['--scenario', 'elicitation-sep1034-client-defaults'],
  ['--suite', 'auth'],
  // The 2025-03-26 flavour of authorization, still met in the wild.
  ['--scenario', 'auth/2025-03-26-oauth-metadata-backcompat'],
  ['--scenario', 'auth/2025-03-26-oauth-endpoint-fallback'],
  // Coda used as a service (client credentials with a secret, or with a signed JWT).
  ['--scenario', 'auth/client-credentials-basic'],
  ['--scenario', 'auth/client-credentials-jwt'],
];
let failed = false;
for (const selector of runs) {
  const run = spawnSync(
    'npx',
    [
      'conformance',
      'client',
      '--command',
      command,
      ...selector,
      '--expected-failures',
      'tests/conformance/expected-failures.yml',
      '-o',
      'test-results/conformance',
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const summary = `${run.stdout}`.split('\n').filter((line) => /OVERALL|✓|✗|Passed:|Total:|expected|regression|stale/i.test(line));
  console.log(`conformance ${selector.join(' ')}: ${run.status === 0 ? 'as expected' : 'UNEXPECTED'}\n  ${summary.join('\n  ')}`);
  if (run.status !== 0) {
    failed = true;
    console.log(run.stdout.slice(-3000), run.stderr.slice(-2000));
  }
}
process.exit(failed ? 1 : 0);
