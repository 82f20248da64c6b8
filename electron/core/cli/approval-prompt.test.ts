import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptApproval, type ApprovalRequest } from './approval-prompt.js';
import { typedTerminal } from '../../../tests/helpers/typed-terminal.js';
import { openTerminal } from './terminal.js';

const request = (id: string, args: unknown, over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  type: 'approval-request',
  runId: 'run',
  seq: 4,
  toolCallId: id,
  server: 'files',
  serverLabel: 'files',
  tool: 'write_file',
  arguments: args,
  readOnly: false,
  ...over,
});

describe('the CLI approval prompt', () => {
  it('shows the call in full, arguments pretty-printed, and takes y as yes and Enter as no', async () => {
    const io = typedTerminal(['y']);
    expect(await promptApproval(request('c1', { path: '/tmp/a.txt', content: 'hi' }), io, new AbortController().signal)).toBe(true);
    expect(io.shown).toBe(
      '\nA tool call needs your approval:\n  files › write_file\n  arguments:\n    {\n      "path": "/tmp/a.txt",\n      "content": "hi"\n    }\nAllow this call? [y/N] ',
    );
    expect(await promptApproval(request('c2', {}), typedTerminal(['']), new AbortController().signal)).toBe(false);
    expect(await promptApproval(request('c3', {}), typedTerminal(['No']), new AbortController().signal)).toBe(false);
  });

  it('asks again until the answer is yes or no', async () => {
    const io = typedTerminal(['sure', 'yes']);
    expect(await promptApproval(request('c1', {}), io, new AbortController().signal)).toBe(true);
    expect(io.shown).toContain('Answer y (run it) or n (refuse it).\nAllow this call? [y/N] ');
  });

  it('refuses without a terminal, saying how to allow tools', async () => {
    let shown = '';
    expect(await promptApproval(request('c1', { a: 1 }), { ask: null, write: (t) => void (shown += t) }, new AbortController().signal)).toBe(false);
    expect(shown).toContain('Refused: there is no terminal to ask on (use --approve auto to allow tools).');
  });

  it('shows names from the server without terminal control sequences', async () => {
    const io = typedTerminal(['n']);
    await promptApproval(request('c1', { text: 'x\u001b[2Jy' }, { serverLabel: 'ev\u001b[31mil', tool: 'hide\u009b2K' }), io, new AbortController().signal);
    expect(io.shown).toContain('  ev[31mil › hide2K\n');
    // JSON keeps control characters in arguments escaped, visible as text.
    expect(io.shown).toContain('"text": "x\\u001b[2Jy"');
    // eslint-disable-next-line no-control-regex
    expect(io.shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('the terminal prompt queue', () => {
  it('shows one question at a time and gives each typed line to the question on screen', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const terminal = openTerminal({ input, output }, () => {});
    const signal = new AbortController().signal;
    // Two calls arrive at once, as parallel tool calls do.
    const first = terminal.queue(() => promptApproval(request('first', { n: 1 }), terminal, signal));
    const second = terminal.queue(() => promptApproval(request('second', { n: 2 }), terminal, signal));
    await expect.poll(() => shown).toContain('Allow this call? [y/N] ');
    expect(shown).toContain('"n": 1');
    expect(shown).not.toContain('"n": 2');
    input.write('y\n');
    expect(await first).toBe(true);
    await expect.poll(() => shown).toContain('"n": 2');
    input.write('n\n');
    expect(await second).toBe(false);
    terminal.close();
  });

  it('does not let a line typed before a question is shown answer it', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    const terminal = openTerminal({ input, output }, () => {});
    const signal = new AbortController().signal;
    // The reader is open (an earlier question), then a "y" arrives while nothing is asked.
    const earlier = terminal.queue(() => promptApproval(request('earlier', {}), terminal, signal));
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.write('n\n');
    expect(await earlier).toBe(false);
    input.write('y\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    let answered = false;
    const later = terminal.queue(() => promptApproval(request('later', {}), terminal, signal)).then((allow) => ((answered = true), allow));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    input.write('n\n');
    expect(await later).toBe(false);
    terminal.close();
  });
});
