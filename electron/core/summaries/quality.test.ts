import { describe, expect, it } from 'vitest';
import { checkQuality, extractFacts } from './quality.js';

describe('summary quality check', () => {
  const messages = [
    'We met Ada Lovelace at the Analytical Engine meetup. The budget is $4,500 and the batch takes 250 ms.',
    'After some back and forth we decided to deploy on Fly.io in March. Shipping weighs 12 kg.',
  ];

  it('finds names (not sentence openers), numbers with their units and decision sentences', () => {
    expect(extractFacts(messages)).toEqual([
      { kind: 'name', text: 'Ada Lovelace' },
      { kind: 'name', text: 'Analytical Engine' },
      { kind: 'number', text: '$4,500' },
      { kind: 'number', text: '250 ms' },
      { kind: 'decision', text: 'After some back and forth we decided to deploy on Fly.io in March.' },
      { kind: 'name', text: 'Fly.io' },
      { kind: 'name', text: 'March' },
      { kind: 'number', text: '12 kg' },
    ]);
  });

  it('lists what a summary lost and scores the share it kept', () => {
    const facts = extractFacts(messages);
    const full = checkQuality('Ada Lovelace (Analytical Engine meetup): budget $4500, 250ms batches; deploy on Fly.io in March; 12 kg.', facts);
    expect(full).toEqual({ checked: 8, lost: [], coverage: 1 });

    const poor = checkQuality('They met Ada Lovelace and talked about money.', facts);
    expect(poor.lost.map((f) => f.text)).toEqual([
      'Analytical Engine',
      '$4,500',
      '250 ms',
      'After some back and forth we decided to deploy on Fly.io in March.',
      'Fly.io',
      'March',
      '12 kg',
    ]);
    expect(poor.coverage).toBe(0.125);
  });

  it('scores a range without facts as fully covered', () => {
    expect(checkQuality('Small talk.', extractFacts(['hello there', 'how are you?']))).toEqual({ checked: 0, lost: [], coverage: 1 });
  });
});
