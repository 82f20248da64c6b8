import type { MessageStatus, SelectionCriteria, SelectionScore, ToolCall, ToolCallProblem } from '../../../shared/index.js';

/*
 * The selection score of a tool call (decision 0020): was this the right tool to call, and did it help? A plain,
 * explainable heuristic over what Coda already has (the request, the tool, its arguments, its result, the final
 * answer), not a model's opinion: it costs nothing, never calls out, and the user can see why a call scored low.
 */

/** How much each criterion weighs; criteria that cannot be known for a call are left out of its mean. */
export const SELECTION_WEIGHTS: Readonly<Record<keyof SelectionCriteria, number>> = {
  succeeded: 0.35,
  resultUsed: 0.3,
  relevance: 0.2,
  notRepeated: 0.15,
};

/** Terms a call must share with the request, or its result with the answer, to count fully (fewer count in part). */
const TERMS_FOR_FULL_MATCH = 3;

export interface CallFacts {
  /** What the user asked (the message the answer replies to). */
  request: string;
  /** The tool as its server describes it; null for a tool no server has. */
  tool: { name: string; description: string } | null;
  input: unknown;
  status: ToolCall['status'];
  problems: ToolCallProblem[];
  /** The whole output, as stored. */
  output: unknown;
  /** The answer's text as it ended ('' when it has none). */
  answer: string;
  answerStatus: Exclude<MessageStatus, 'streaming'>;
}

export function scoreSelection(facts: CallFacts): SelectionScore {
  const repeated = facts.problems.some((p) => p.kind === 'repeated');
  const criteria: SelectionCriteria = {
    relevance: relevance(facts),
    resultUsed: resultUsed(facts),
    succeeded: succeeded(facts.status, facts.problems, repeated),
    notRepeated: repeated ? 0 : 1,
  };
  let sum = 0;
  let weight = 0;
  for (const [name, value] of Object.entries(criteria) as [keyof SelectionCriteria, number | null][]) {
    if (value === null) continue;
    sum += SELECTION_WEIGHTS[name] * value;
    weight += SELECTION_WEIGHTS[name];
  }
  return { score: round2(weight > 0 ? sum / weight : 0), criteria, answerStatus: facts.answerStatus };
}

/** It ran and gave something (1), ran but gave nothing (0.5), failed (0); unknown when it never ran through no fault of its own. */
function succeeded(status: ToolCall['status'], problems: ToolCallProblem[], repeated: boolean): number | null {
  if (repeated) return null;
  if (status === 'success') return problems.some((p) => p.kind === 'empty-output') ? 0.5 : 1;
  if (status === 'error') return 0;
  // Refused by the user or a rule, stopped, or still open: says nothing about the choice of tool.
  return null;
}

/** The request's terms found in the tool's name, description or arguments. */
function relevance(facts: CallFacts): number | null {
  const wanted = termsOf(facts.request);
  if (wanted.words.size + wanted.numbers.length === 0) return null;
  const offered = termsOf([facts.tool?.name.replace(/[_-]+/g, ' ') ?? '', facts.tool?.description ?? '', ...valuesOf(facts.input)].join(' '));
  const words = [...wanted.words].filter((w) => offered.words.has(w)).length;
  const numbers = wanted.numbers.filter((n) => offered.numbers.some((o) => o.value === n.value)).length;
  return share(words + numbers, wanted.words.size + wanted.numbers.length);
}

/**
 * The result's salient terms (its numbers and words) found in the answer. Terms the request or the arguments
 * already had are not evidence of use (an answer repeats the question), unless the result has nothing else.
 */
function resultUsed(facts: CallFacts): number | null {
  if (facts.status !== 'success' || !facts.answer.trim()) return null;
  const result = termsOf(valuesOf(facts.output).join(' '));
  const known = termsOf([facts.request, ...valuesOf(facts.input)].join(' '));
  const newWords = [...result.words].filter((w) => !known.words.has(w));
  const newNumbers = result.numbers.filter((n) => !known.numbers.some((k) => k.value === n.value));
  const words = newWords.length + newNumbers.length > 0 ? newWords : [...result.words];
  const numbers = newWords.length + newNumbers.length > 0 ? newNumbers : result.numbers;
  if (words.length + numbers.length === 0) return null;
  const answer = termsOf(facts.answer);
  // An answer rounds: 6.2 uses 6.2137, at the precision the answer wrote.
  const usedNumbers = numbers.filter((n) => answer.numbers.some((a) => a.value === roundTo(n.value, a.decimals))).length;
  const usedWords = words.filter((w) => answer.words.has(w)).length;
  return share(usedNumbers + usedWords, words.length + numbers.length);
}

function share(found: number, of: number): number {
  return round2(Math.min(1, found / Math.min(TERMS_FOR_FULL_MATCH, of)));
}

interface Terms {
  words: Set<string>;
  numbers: { value: number; decimals: number }[];
}

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
/** A number as written: digits, a decimal part, an exponent (not inside a word such as gpt4 or utf8). */
const NUMBER = /(?<![\p{L}\d.])(\d+(?:\.\d+)?)(?:e([+-]?\d+))?(?![\p{L}\d])/giu;

/** Common words that say nothing about a topic (English; other languages simply match less). */
const STOP_WORDS = new Set(
  'the and for are but not you your with this that from have has had was were will would can could should what when where which who whom why how into onto about than then them they their there these those its our out all any each some such very just also only over under more most other please tell give make does did doing use using value result'.split(
    ' ',
  ),
);

/** Words (lower case, a plural or -ing/-ed ending taken off, no stop words, at least 3 letters) and numbers of a text. */
export function termsOf(text: string): Terms {
  const words = new Set<string>();
  const numbers: Terms['numbers'] = [];
  // 7,006,652 is one number; 7.006652e+6 too.
  const plain = text.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const spelled = plain.replace(NUMBER, (match, mantissa: string, exponent: string | undefined) => {
    const value = Number(match);
    const decimals = Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent ?? 0));
    if (Number.isFinite(value) && !numbers.some((n) => n.value === value)) numbers.push({ value, decimals });
    return ' ';
  });
  for (const { segment, isWordLike } of segmenter.segment(spelled)) {
    if (!isWordLike) continue;
    const word = stem(segment.toLowerCase());
    if (word.length >= 3 && !STOP_WORDS.has(word) && !/\d/.test(word)) words.add(word);
  }
  return { words, numbers };
}

function stem(word: string): string {
  for (const suffix of ['ing', 'ies', 'ed', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length) + (suffix === 'ies' ? 'y' : '');
  }
  return word;
}

/** Every string and number in a JSON value (keys left out: they name, the values say). */
function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(valuesOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(valuesOf);
  return [];
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** Math.min(decimals, 10);
  return Math.round(value * factor) / factor;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
