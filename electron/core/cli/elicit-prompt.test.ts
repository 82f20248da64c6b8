import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/index.js';
import { promptElicitation } from './elicit-prompt.js';
import { typedTerminal } from '../../../tests/helpers/typed-terminal.js';

const question: Extract<RunEvent, { type: 'elicitation-request' }> = {
  type: 'elicitation-request',
  runId: 'run',
  seq: 3,
  elicitationId: 'q1',
  toolCallId: 'call',
  server: 'srv',
  serverLabel: 'Weather',
  message: 'Where are you?',
  requestedSchema: {
    type: 'object',
    properties: {
      city: { type: 'string', title: 'City', minLength: 2 },
      days: { type: 'integer', title: 'Days', minimum: 1, maximum: 7, default: 3 },
      units: {
        type: 'string',
        title: 'Units',
        oneOf: [
          { const: 'c', title: 'Celsius' },
          { const: 'f', title: 'Fahrenheit' },
        ],
        default: 'c',
      },
      alerts: { type: 'boolean', title: 'Alerts' },
      extras: { type: 'array', title: 'Extras', items: { type: 'string', enum: ['wind', 'rain', 'uv'] } },
    },
    required: ['city'],
  },
};

describe('the CLI elicitation prompt', () => {
  it('asks each field with its default, asks again until it fits, and keeps defaults on Enter', async () => {
    const io = typedTerminal(['', 'X', 'Paris', '9', '', '2', 'y', '1, 3']);
    const answer = await promptElicitation(question, io, new AbortController().signal);
    expect(answer).toEqual({ action: 'accept', content: { city: 'Paris', days: 3, units: 'f', alerts: true, extras: ['wind', 'uv'] } });
    expect(io.shown).toContain('[Weather] asks (this question comes from the tool server, not from Coda):\n  Where are you?');
    expect(io.shown).toContain('City needs at least 2 characters');
    expect(io.shown).toContain('Days must be at most 7');
    expect(io.shown).toContain('integer [3]: ');
    expect(io.shown).toContain('  1) Celsius\n  2) Fahrenheit');
    expect(io.shown).toContain('number [Celsius]: ');
  });

  it('declines or cancels when asked to, and declines with a note without a terminal', async () => {
    expect(await promptElicitation(question, typedTerminal(['d']), new AbortController().signal)).toEqual({ action: 'decline' });
    expect(await promptElicitation(question, typedTerminal(['c']), new AbortController().signal)).toEqual({ action: 'cancel' });
    const shown: string[] = [];
    expect(await promptElicitation(question, { ask: null, write: (t) => shown.push(t) }, new AbortController().signal)).toEqual({ action: 'decline' });
    expect(shown.join('')).toContain('Declined: there is no terminal to answer on');
  });

  it("shows the server's text without terminal control sequences", async () => {
    const hostile = { ...question, serverLabel: 'Evil\u001b[2J', message: 'Pay\u001b]0;title\u0007 now\u009b31m\nsecond line' };
    const io = typedTerminal(['d']);
    await promptElicitation(hostile, io, new AbortController().signal);
    expect(io.shown).toContain('[Evil[2J] asks');
    expect(io.shown).toContain('Pay]0;title now31m\n  second line');
    // eslint-disable-next-line no-control-regex
    expect(io.shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
