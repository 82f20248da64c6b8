import type { SummaryFact, SummaryQuality } from '../../../shared/index.js';

/*
 * The quality check: facts are pulled from the covered messages with fixed rules (no model), and each is looked for
 * in the summary. Rules (docs/decisions/0025-summarization.md):
 * - names: capitalised words that do not open a sentence (and runs of them: "Lake Geneva"), not common words;
 * - numbers: digits with what follows them as a unit ("12 kg", "3.5%", "$40", "2026-03-01", "v2.1");
 * - decisions: sentences with a decision word (decided, agreed, chose, will use, going with, settled on, …).
 * A name or number is kept when it appears in the summary (case-insensitive; numbers also without their unit's
 * spacing or thousands separators); a decision when at least half of its content words do.
 */

const COMMON = new Set(
  'I A An The This That These Those It Its He She We They You Your Our My His Her Their And But Or So If Then When While What Which Who Why How Where Yes No Not Please Thanks Thank Hello Hi Ok Okay Sure Also Here There Now Today Tomorrow Yesterday Let Lets Can Could Would Should Will Shall May Might Must Do Does Did Is Are Was Were Be Been Being Have Has Had For To In On At By Of With From As About After Before Because Since Until Summary User Assistant Note Step First Second Third Next Finally Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(
    ' ',
  ),
);
const DECISION_WORDS =
  /\b(decided|decide|decision|agreed|agree to|chose|chosen|choose|will use|we'll use|going with|go with|settled on|approved|picked|selected|opted|concluded|final answer)\b/i;
const STOP = new Set(
  'the a an and or but of to in on at by for with from as is are was were be been this that these those it its we you they i our your their will would should could shall may might must do does did have has had not no yes so if then than which who what when where why how also just only about into over under after before because since until decided decide decision agreed agree chose chosen choose use using going go settled approved picked selected opted concluded final answer'.split(
    ' ',
  ),
);
const UNITS = String.raw`(?:%|‰|°[CF]?|[kKMGT]?B\b|[kKMG]?Hz\b|ms\b|s\b|sec\b|min\b|h\b|hrs?\b|hours?\b|days?\b|weeks?\b|months?\b|years?\b|kg\b|g\b|mg\b|lbs?\b|t\b|km\b|m\b|cm\b|mm\b|mi\b|ft\b|in\b|[kKM]?W\b|kWh\b|V\b|A\b|l\b|L\b|ml\b|USD\b|EUR\b|GBP\b|CHF\b|tokens?\b|px\b|pt\b|x\b|k\b|M\b|bn\b|million\b|billion\b|percent\b|people\b|users?\b|items?\b)`;
const NUMBER = new RegExp(String.raw`(?:[$€£¥]\s?)?\b\d[\d,]*(?:\.\d+)?(?:-\d{2}(?:-\d{2})?)?(?:\s?${UNITS})?`, 'g');

const sentencesOf = (text: string) =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

const normalize = (text: string) => text.toLowerCase().replace(/[\s,]/g, '');

function names(sentence: string): string[] {
  const words = sentence.replace(/[*_`#>[\]()]/g, ' ').split(/\s+/);
  const found: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) found.push(run.join(' '));
    run = [];
  };
  words.forEach((raw, i) => {
    const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const capitalised = /^\p{Lu}[\p{L}\p{N}'.-]*$/u.test(word) && word.length > 1 && !COMMON.has(word);
    // The first word of a sentence is capitalised by grammar, not because it is a name; an acronym is a name anywhere.
    if (capitalised && (i > 0 || /^\p{Lu}{2,}$/u.test(word) || run.length > 0)) run.push(word);
    else flush();
    if (/[.,;:!?)]$/.test(raw)) flush();
  });
  flush();
  return found;
}

/** The names, numbers and decisions in some messages, each once, in the order they first appear. */
export function extractFacts(texts: string[]): SummaryFact[] {
  const seen = new Set<string>();
  const facts: SummaryFact[] = [];
  const add = (kind: SummaryFact['kind'], text: string) => {
    const key = `${kind}:${kind === 'decision' ? text : normalize(text)}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.push({ kind, text });
  };
  for (const text of texts) {
    for (const sentence of sentencesOf(text)) {
      if (DECISION_WORDS.test(sentence)) add('decision', sentence.slice(0, 300));
      for (const name of names(sentence)) add('name', name);
      for (const match of sentence.matchAll(NUMBER)) {
        const value = match[0].trim();
        // A bare one-digit number ("step 1", "2 of them") says little on its own.
        if (/^\d$/.test(value)) continue;
        add('number', value);
      }
    }
  }
  return facts;
}

const contentWords = (text: string) =>
  [...new Set(text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]+/gu) ?? [])].filter((w) => !STOP.has(w) && w.length > 2);

/** Whether the summary still says a fact. */
export function keeps(summary: string, fact: SummaryFact): boolean {
  const lower = summary.toLowerCase();
  if (fact.kind === 'name') return lower.includes(fact.text.toLowerCase());
  if (fact.kind === 'number') {
    const digits = fact.text.match(/\d[\d,.]*\d|\d/)?.[0]?.replace(/,/g, '') ?? fact.text;
    return normalize(summary).includes(normalize(fact.text)) || lower.replace(/,/g, '').includes(digits);
  }
  const words = contentWords(fact.text);
  if (words.length === 0) return true;
  const present = words.filter((w) => lower.includes(w)).length;
  return present * 2 >= words.length;
}

/** The check stored with a summary: the facts it lost, and the share it kept. */
export function checkQuality(summary: string, facts: SummaryFact[]): SummaryQuality {
  const lost = facts.filter((f) => !keeps(summary, f));
  const coverage = facts.length === 0 ? 1 : Math.round(((facts.length - lost.length) / facts.length) * 1000) / 1000;
  return { checked: facts.length, lost, coverage };
}
