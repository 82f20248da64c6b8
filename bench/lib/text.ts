import { Rng } from './prng.js';

/**
 * Chat-like text from a fixed vocabulary with a Zipf-shaped word frequency: a few very common words, a long tail
 * of rare ones (real words first, then made-up words standing in for names and identifiers), plus a handful of
 * deliberately rare words for selective full-text queries.
 */

// Roughly in order of frequency; the position in this list is the word's rank.
const WORDS = `
the to and a of is in it you that for this i be on with can not are as if do have or your but we will so what an
from at how my by file use there all one was which when would should then just about more like need some here also
get could make code function error data value type name test user server request response run build new time way
example change return string list work set add check first call output input result case line model update version
step problem issue question answer default method object class array number project memory system query table
database page text key window local remote path command option module package install import export script process
thread event message client api token cache log debug release branch commit merge review design layout style color
font image button form field state props component render hook effect context provider store route handler session
cookie header body config null undefined true false loop index length count size limit offset order sort filter map
reduce promise async await callback timeout retry network socket stream buffer chunk byte encoding json yaml schema
validation parse format date range start end next previous before after inside outside left right top bottom width
height container service deploy docker image cluster node worker queue job task schedule cron backup restore
migration transaction lock commit rollback index primary foreign constraint column row select insert delete join
group count average total sum minimum maximum percent latency throughput benchmark performance profile trace metric
alert monitor dashboard report chart graph plot csv excel spreadsheet document markdown heading bullet paragraph
summary title draft email letter meeting calendar invite agenda notes decision plan goal deadline estimate budget
cost price invoice customer account password login signup permission role admin team member owner manager
configuration confirm conflict conference confident confusing connect constant contract convert copy correct create
credential critical current custom cycle daily dark dataset deadlock declare decode decrypt define dependency
describe detail detect develop device diagram dialog differ directory disable discuss disk display distance divide
domain download driver duplicate dynamic edge editor element embed empty enable encrypt engine enter entry
environment equal escape evaluate exact exception execute exist expect explain expression extend external extract
factor failure feature fetch figure final fix flag float flow folder follow force fork frame framework frequency
generate global grammar guide handle hardware hash helper hidden history host html http icon identity ignore
implement include increase infinite inherit initial inline instance integer interface internal interval invalid
item iterate java kernel label language large launch layer learn level library license lifecycle light link linux
literal load locale logic lookup machine macro manual match matrix measure merge middle mobile mock mode modify
mount mutable native navigate nested notify object obsolete open operator optimize origin overflow override packet
padding parallel parameter parent partial patch pattern payload pending pixel platform plugin pointer policy pool
port portable position post predict prefix present preview print priority private proxy public publish python
random react read recursive redirect refactor reference region register regular relative remove rename repeat
replace repository request resize resolve resource rest retain reverse rotate router runtime safe sample sandbox
scale scan scope screen scroll search secret secure segment semantic sequence serialize shadow shape share shell
shift signal simple single slice slow snapshot socket source space split sql stable stack standard static storage
strict struct submit subscribe suffix support swap switch symbol sync syntax target template terminal theme tensor
token tool trigger trim tuple typescript unicode unique unit unix upload upstream utility valid variable vector
verify video virtual visible volume warning watch webhook widget wrapper write zone
`
  .trim()
  .split(/\s+/);

/** Each appears in only a few dozen messages across the dataset: the selective search terms. */
export const RARE_WORDS = `
quokka axolotl narwhal ptarmigan kumquat marzipan gazpacho obsidian zeppelin fjord tamarind capybara pangolin
okapi wombat samovar theremin accordion bassoon harpsichord ocarina mandolin sitar tuba xylophone zither
mongoose platypus meerkat lemur toucan flamingo pelican albatross cormorant puffin walrus manatee dugong
`
  .trim()
  .split(/\s+/);

const SYLLABLES = 'ka ro mi ten lu var sel po dri zu fen ga mo ri shi tal ne bo qua le vin cor da pe sto ux ra ti nol pha'.split(' ');
const VOCABULARY_SIZE = 20_000;
const ZIPF_EXPONENT = 1.0;

export interface TextGenerator {
  message(role: 'user' | 'assistant'): string;
  title(): string;
  /** A long streaming answer of about `chars` characters. */
  answer(chars: number): string;
}

export function createTextGenerator(seed: number): TextGenerator {
  const rng = new Rng(seed);
  const vocabulary = buildVocabulary(new Rng(seed ^ 0x5eed));
  const cdf = new Float64Array(vocabulary.length);
  let total = 0;
  for (let r = 0; r < vocabulary.length; r++) cdf[r] = total += 1 / (r + 1) ** ZIPF_EXPONENT;

  const word = (): string => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  // Content words only (skip the function words at the head of the list), for titles and identifiers.
  const contentWord = (): string => vocabulary[rng.int(60, 600)]!;

  const token = (): string => {
    const roll = rng.next();
    if (roll < 0.02) return String(rng.int(0, 5000));
    if (roll < 0.03) return `${contentWord()}${capitalize(contentWord())}`;
    if (roll < 0.035) return `src/${contentWord()}/${contentWord()}.ts`;
    return word();
  };

  const sentences = (words: number): string => {
    const out: string[] = [];
    let left = words;
    while (left > 0) {
      const n = Math.min(left, rng.int(4, 16));
      left -= n;
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        let t = token();
        if (i === 0) t = capitalize(t);
        else if (i < n - 1 && rng.chance(0.06)) t += ',';
        parts.push(t);
      }
      out.push(parts.join(' ') + (rng.chance(0.12) ? '?' : '.'));
    }
    return out.join(' ');
  };

  const withRareWord = (text: string): string => {
    if (!rng.chance(0.0015)) return text;
    return `${text} Remember the ${rng.pick(RARE_WORDS)} one.`;
  };

  return {
    message(role) {
      const r = rng.next();
      const words = role === 'user' ? 3 + Math.floor(27 * r * r) : 10 + Math.floor(110 * r);
      let text = sentences(words);
      if (role === 'assistant' && rng.chance(0.1)) {
        text += `\n\n\`\`\`ts\nconst ${contentWord()} = await ${contentWord()}${capitalize(contentWord())}(${contentWord()});\n\`\`\``;
      }
      return withRareWord(text);
    },
    title() {
      const n = rng.int(2, 6);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(i === 0 ? capitalize(contentWord()) : contentWord());
      return parts.join(' ');
    },
    answer(chars) {
      let text = '';
      while (text.length < chars) text += (text ? ' ' : '') + sentences(12);
      return text;
    },
  };
}

function buildVocabulary(rng: Rng): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of WORDS) {
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  const rare = new Set(RARE_WORDS);
  while (out.length < VOCABULARY_SIZE) {
    const n = rng.int(2, 4);
    let w = '';
    for (let i = 0; i < n; i++) w += rng.pick(SYLLABLES);
    if (seen.has(w) || rare.has(w)) continue;
    seen.add(w);
    out.push(w);
  }
  return out;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
