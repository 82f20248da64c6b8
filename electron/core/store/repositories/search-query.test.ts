import { describe, expect, it } from 'vitest';
import { snippetOf, toFtsQuery } from './messages.js';

describe('search query and snippet', () => {
  it('quotes every word and lets only the last one (4+ characters) match as a prefix', () => {
    expect(toFtsQuery('database migr')).toBe('"database" "migr"*');
    expect(toFtsQuery('to be')).toBe('"to" "be"');
    expect(toFtsQuery('the')).toBe('"the"');
    expect(toFtsQuery('NEAR( "* OR')).toBe('"NEAR" "OR"');
    expect(toFtsQuery('  ')).toBe('""');
  });

  it('shows the words around the first match, marked', () => {
    const text = 'one two three four five six seven eight penguins huddle together nine ten eleven twelve thirteen fourteen';
    expect(snippetOf(text, ['penguin'])).toBe('… three four five six seven eight [penguins] huddle together nine ten eleven twelve …');
    expect(snippetOf('short text', ['absent'])).toBe('short text');
  });
});
