import { describe, expect, it } from 'vitest';
import { SNIPPET_CLOSE as C, SNIPPET_OPEN as O, splitSnippet } from '../../../../shared/index.js';
import { toFtsQuery } from './message-search.js';

describe('search query and snippet', () => {
  it('quotes every word and lets only the last one (4+ characters) match as a prefix', () => {
    expect(toFtsQuery('database migr')).toBe('"database" "migr"*');
    expect(toFtsQuery('to be')).toBe('"to" "be"');
    expect(toFtsQuery('the')).toBe('"the"');
    expect(toFtsQuery('NEAR( "* OR')).toBe('"NEAR" "OR"');
    expect(toFtsQuery('  ')).toBe('""');
  });

  it('cuts a snippet into plain and matched runs, keeping markup as text', () => {
    expect(splitSnippet(`…how ${O}penguins${C} stay <b>warm</b> in ${O}winter${C}`)).toEqual([
      { text: '…how ', match: false },
      { text: 'penguins', match: true },
      { text: ' stay <b>warm</b> in ', match: false },
      { text: 'winter', match: true },
    ]);
    expect(splitSnippet(`plain${C} text`)).toEqual([{ text: 'plain text', match: false }]);
    expect(splitSnippet('')).toEqual([]);
  });
});
