import { describe, expect, it } from 'vitest';
import { scoreSelection, termsOf, type CallFacts } from './tool-evaluation.js';

const math = { name: 'evaluate_math', description: 'Evaluate a mathematical expression (arithmetic, algebra, matrices) with mathjs.' };

/** A good call: the right tool for the request, it worked, and the answer uses its result. */
const good: CallFacts = {
  request: 'What is 1234 * 5678?',
  tool: math,
  input: { expression: '1234 * 5678' },
  status: 'success',
  problems: [],
  output: { value: 7006652 },
  answer: '1234 × 5678 = 7,006,652.',
  answerStatus: 'complete',
};

describe('the selection score of a tool call', () => {
  it('gives a good call full marks on every criterion', () => {
    expect(scoreSelection(good)).toEqual({
      score: 1,
      criteria: { relevance: 1, resultUsed: 1, succeeded: 1, notRepeated: 1 },
      answerStatus: 'complete',
    });
  });

  it('scores a call with invalid arguments low: it failed, and there is no result to use', () => {
    const invalid = scoreSelection({
      ...good,
      input: { expresion: 1234 },
      status: 'error',
      problems: [{ kind: 'schema-mismatch', issues: ["(arguments) must have required property 'expression'"] }],
      output: null,
    });
    expect(invalid.criteria).toMatchObject({ succeeded: 0, resultUsed: null });
    expect(invalid.score).toBeLessThan(0.5);
  });

  it('scores a failing tool as failed, whatever the answer says', () => {
    const failing = scoreSelection({ ...good, status: 'error', problems: [{ kind: 'tool-error' }], output: 'Error: division by zero' });
    expect(failing.criteria.succeeded).toBe(0);
    expect(failing.criteria.resultUsed).toBeNull();
    expect(failing.score).toBeLessThan(scoreSelection(good).score);
  });

  it('notices a result the answer did not use', () => {
    const unused = scoreSelection({ ...good, answer: 'I could not work that out, sorry.' });
    expect(unused.criteria.resultUsed).toBe(0);
    expect(unused.score).toBe(0.7);
  });

  it('counts a result the answer rounded as used', () => {
    const rounded = scoreSelection({
      ...good,
      request: 'Convert 10 km to miles',
      tool: { name: 'convert_units', description: 'Convert a value from one unit to another.' },
      input: { value: 10, from: 'km', to: 'mile' },
      output: { value: 6.2137119223733395, unit: 'mile' },
      answer: '10 km is about 6.2 miles.',
    });
    expect(rounded.criteria).toEqual({ relevance: 1, resultUsed: 1, succeeded: 1, notRepeated: 1 });
  });

  it('marks a repeated call down, and does not count it as a failure of the tool', () => {
    const repeated = scoreSelection({ ...good, status: 'error', problems: [{ kind: 'repeated' }], output: null });
    expect(repeated.criteria).toMatchObject({ notRepeated: 0, succeeded: null, resultUsed: null });
    expect(repeated.score).toBeLessThan(0.7);
  });

  it('finds a tool unrelated to the request irrelevant', () => {
    const unrelated = scoreSelection({ ...good, request: 'What is the weather like in Paris today?', input: { expression: '2+2' }, output: { value: 4 } });
    expect(unrelated.criteria.relevance).toBe(0);
  });

  it('scores what can be known of a stopped answer without text, and says the answer was stopped', () => {
    const stopped = scoreSelection({ ...good, answer: '', answerStatus: 'interrupted' });
    expect(stopped).toMatchObject({ answerStatus: 'interrupted', criteria: { resultUsed: null, succeeded: 1 }, score: 1 });
  });

  it('leaves success out for a call the user refused, which says nothing about the choice', () => {
    const refused = scoreSelection({ ...good, status: 'denied', problems: [{ kind: 'refused', by: 'user' }], output: null });
    expect(refused.criteria).toMatchObject({ succeeded: null, resultUsed: null, relevance: 1, notRepeated: 1 });
  });

  it('gives half for a call that ran but returned nothing', () => {
    expect(scoreSelection({ ...good, problems: [{ kind: 'empty-output' }], output: '' }).criteria.succeeded).toBe(0.5);
  });
});

describe('terms of a text', () => {
  it('folds plurals, drops stop words and reads 7,006,652 as one number', () => {
    const terms = termsOf('What are the prices of 3 widgets? Total: 7,006,652.50');
    expect([...terms.words].sort()).toEqual(['price', 'total', 'widget']);
    expect(terms.numbers.map((n) => n.value)).toEqual([3, 7006652.5]);
  });

  it('reads a number in exponent notation (as mathjs prints large results) as the number', () => {
    expect(termsOf('{"result":"7.006652e+6"}').numbers).toEqual([{ value: 7006652, decimals: 0 }]);
  });
});
