import type { ContextBreakdown, ContextStatus } from '../../../shared/index.js';
import type { ChatTurn, ToolDefinition } from '../providers/types.js';
import type { ContextBudget } from './budget.js';
import { compressTurn } from './compress.js';

/** One message offered to a request; `id` is null for turns with no row of their own (the current answer's tool steps). */
export interface ContextItem {
  id: string | null;
  turn: ChatTurn;
}

/** The chat's summary of earlier messages (summaries/summary-service.ts): replaces the range it covers. */
export interface SummarySlot {
  text: string;
  covers: string[];
}

export interface ContextInput {
  /** The system prompt's turns. */
  system: ChatTurn[];
  tools: readonly ToolDefinition[];
  /** Pinned messages, oldest first: always sent. */
  pinned: (ContextItem & { id: string })[];
  summary: SummarySlot | null;
  /** Earlier messages found relevant (semantic recall, a later feature), best first. */
  recalled: (ContextItem & { id: string })[];
  /** The conversation, oldest first, ending with the question being answered and this answer's steps so far. */
  history: ContextItem[];
}

/** How tokens are counted: the tokenizer in the app (estimate.ts), loaded only when a count is needed. */
export interface TokenCounting {
  turn(turn: ChatTurn): number;
  text(text: string): number;
}

export interface BuiltContext {
  /** What is sent, in order. */
  turns: ChatTurn[];
  /** Set when the pins alone (with system prompt and tools) exceed the budget: they are all sent anyway. */
  pinsOverBudget: { pinTokens: number; budget: number; message: string } | null;
  /** The breakdown, counted on first call (after the request left when nothing had to be counted to choose). */
  breakdown(): ContextBreakdown;
  /**
   * Where each candidate message went, oldest first (pins and recalled messages from before the history, then the
   * history): the same choice as `turns`, so a preview never disagrees with the request. Counted on first call.
   */
  placement(): Placement[];
}

/** One candidate message's place in the request: its tokens whole, and as sent (0 when it is not sent). */
export interface Placement {
  id: string;
  status: ContextStatus;
  tokens: number;
  sentTokens: number;
}

const SUMMARY_PREFIX = 'Summary of the earlier conversation:\n';

/**
 * A turn's tokens can be no more than its UTF-8 bytes (every BPE token covers at least one byte) plus the per-turn
 * overhead: when these bounds fit, everything is sent without loading the tokenizer, so a short chat's first token
 * never waits for it.
 */
function upperBound(turn: ChatTurn): number {
  let bytes = Buffer.byteLength(turn.content) + 4;
  if (turn.role === 'tool') bytes += Buffer.byteLength(turn.name);
  if (turn.role === 'assistant') {
    for (const call of turn.toolCalls ?? []) bytes += Buffer.byteLength(call.name) + Buffer.byteLength(call.arguments);
    for (const part of turn.reasoning ?? []) bytes += part.kind === 'anthropic-redacted' ? 0 : Buffer.byteLength(part.text);
  }
  return bytes;
}

/** A user message and everything answering it (assistant turns, tool calls with their results): never split. */
interface Group {
  items: ContextItem[];
}

function groupTurns(items: ContextItem[]): Group[] {
  const groups: Group[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (item.turn.role === 'user' || !last) groups.push({ items: [item] });
    else last.items.push(item);
  }
  return groups;
}

type Placed = { item: ContextItem; turn: ChatTurn; compressed: boolean };

/**
 * Fills the budget by priority: system prompt, tool schemas, pins, summary, recalled messages, then the most recent
 * whole turns, newest first. A turn that does not fit whole is sent compressed (and so is every older one); the
 * first that does not fit even compressed is left out with everything before it. The newest turn (the question) is
 * always sent. Pins stay where they are when their turn is sent, and go before the window otherwise.
 */
export function buildContext(input: ContextInput, budget: ContextBudget, count: TokenCounting): BuiltContext {
  const summaryTurn: ChatTurn | null = input.summary ? { role: 'system', content: SUMMARY_PREFIX + input.summary.text } : null;
  const pinnedIds = new Set(input.pinned.map((p) => p.id));
  const recalled = input.recalled.filter((r) => !pinnedIds.has(r.id));
  const taken = new Set([...pinnedIds, ...recalled.map((r) => r.id)]);
  const covered = new Set(input.summary?.covers ?? []);
  const history = input.history.filter((h) => h.id === null || !covered.has(h.id) || pinnedIds.has(h.id));
  // Covered messages go as the summary; when even it does not fit they are left out (pins among them go themselves).
  const summarizedIds = input.history.flatMap((h) => (h.id && covered.has(h.id) && !pinnedIds.has(h.id) ? [h.id] : []));
  const toolsJson = input.tools.length > 0 ? JSON.stringify(input.tools) : '';

  const everything = [...input.system, ...(summaryTurn ? [summaryTurn] : []), ...input.pinned.map((p) => p.turn), ...recalled.map((r) => r.turn)];
  const bound = everything.reduce((n, t) => n + upperBound(t), 0) + Buffer.byteLength(toolsJson) + history.reduce((n, h) => n + upperBound(h.turn), 0);
  const fitsUncounted = bound <= budget.budget;

  const counts = new WeakMap<ChatTurn, number>();
  const tokens = (turn: ChatTurn) => {
    let n = counts.get(turn);
    if (n === undefined) counts.set(turn, (n = count.turn(turn)));
    return n;
  };
  const sum = (turns: ChatTurn[]) => turns.reduce((n, t) => n + tokens(t), 0);

  // Chosen parts; when everything fits by the bound, all of it, else by counted tokens.
  let summaryIn = summaryTurn !== null;
  let recalledIn = recalled;
  let window: Placed[] = history
    .filter((h) => h.id === null || pinnedIds.has(h.id) || !taken.has(h.id))
    .map((item) => ({ item, turn: item.turn, compressed: false }));
  let dropped: string[] = [];
  let pinsOverBudget: BuiltContext['pinsOverBudget'] = null;
  if (!fitsUncounted) {
    const pinTokens = sum(input.pinned.map((p) => p.turn));
    let used = sum(input.system) + (toolsJson ? count.text(toolsJson) : 0) + pinTokens;
    if (used > budget.budget)
      pinsOverBudget = {
        pinTokens,
        budget: budget.budget,
        message: `Pinned messages take ${pinTokens.toLocaleString('en-US')} tokens, more than this model's budget of ${budget.budget.toLocaleString('en-US')} with the system prompt and tools: the request may be refused. Unpin some messages or pick a model with a larger window.`,
      };
    if (summaryTurn && used + tokens(summaryTurn) <= budget.budget) used += tokens(summaryTurn);
    else summaryIn = false;
    recalledIn = [];
    for (const r of recalled) {
      if (used + tokens(r.turn) > budget.budget) continue;
      used += tokens(r.turn);
      recalledIn.push(r);
    }
    const groups = groupTurns(history.filter((h) => h.id === null || !taken.has(h.id) || pinnedIds.has(h.id)));
    const chosen: Placed[][] = [];
    let compressing = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const items = groups[g]!.items;
      // Pins are counted already and always go whole; recalled ones are sent in their own place.
      const own = items.filter((i) => i.id === null || !taken.has(i.id));
      const whole = own.map((item) => ({ item, turn: item.turn, compressed: false }));
      const cost = (placed: Placed[]) => sum(placed.map((p) => p.turn));
      const newest = g === groups.length - 1;
      if (!compressing && used + cost(whole) <= budget.budget) {
        used += cost(whole);
        chosen.unshift(withPins(items, whole, pinnedIds));
        continue;
      }
      compressing = true;
      const short = own.map((item) => {
        const turn = compressTurn(item.turn);
        return tokens(turn) < tokens(item.turn) ? { item, turn, compressed: true } : { item, turn: item.turn, compressed: false };
      });
      if (newest || used + cost(short) <= budget.budget) {
        used += cost(short);
        chosen.unshift(withPins(items, short, pinnedIds));
        continue;
      }
      dropped = groups.slice(0, g + 1).flatMap((group) => group.items.flatMap((i) => (i.id && !taken.has(i.id) ? [i.id] : [])));
      break;
    }
    window = chosen.flat();
  }

  const inWindow = new Set(window.flatMap((p) => (p.item.id ? [p.item.id] : [])));
  const earlyPins = input.pinned.filter((p) => !inWindow.has(p.id));
  const turns = [
    ...input.system,
    ...(summaryIn && summaryTurn ? [summaryTurn] : []),
    ...earlyPins.map((p) => p.turn),
    ...recalledIn.map((r) => r.turn),
    ...window.map((p) => p.turn),
  ];

  let measured: ContextBreakdown | undefined;
  const breakdown = (): ContextBreakdown => {
    if (measured) return measured;
    const system = sum(input.system);
    const tools = toolsJson ? count.text(toolsJson) : 0;
    const pins = sum(input.pinned.map((p) => p.turn));
    const summary = summaryIn && summaryTurn ? tokens(summaryTurn) : 0;
    const recalledTokens = sum(recalledIn.map((r) => r.turn));
    const recent = sum(window.filter((p) => !(p.item.id && pinnedIds.has(p.item.id))).map((p) => p.turn));
    const total = system + tools + pins + summary + recalledTokens + recent;
    measured = {
      ...budget,
      system,
      tools,
      pins,
      summary,
      recalled: recalledTokens,
      recent,
      free: Math.max(0, budget.budget - total),
      included: [
        ...new Set([
          ...input.pinned.map((p) => p.id),
          ...recalledIn.map((r) => r.id),
          ...window.flatMap((p) => (p.item.id && !p.compressed ? [p.item.id] : [])),
        ]),
      ],
      compressed: window.flatMap((p) => (p.item.id && p.compressed ? [p.item.id] : [])),
      dropped: [...dropped, ...recalled.filter((r) => !recalledIn.includes(r)).map((r) => r.id), ...(summaryIn ? [] : summarizedIds)],
      pinsOverBudget: system + tools + pins > budget.budget,
    };
    return measured;
  };
  let placed: Placement[] | undefined;
  const placement = (): Placement[] => {
    if (placed) return placed;
    const sent = new Map(window.flatMap((p) => (p.item.id ? [[p.item.id, p] as const] : [])));
    const recalledSent = new Set(recalledIn.map((r) => r.id));
    const historyIds = new Set(input.history.flatMap((h) => (h.id ? [h.id] : [])));
    const candidates = [...input.pinned.filter((p) => !historyIds.has(p.id)), ...recalled.filter((r) => !historyIds.has(r.id)), ...input.history];
    const statusOf = (id: string): ContextStatus => {
      if (pinnedIds.has(id)) return 'pinned';
      if (recalledSent.has(id)) return 'recalled';
      const p = sent.get(id);
      if (p) return p.compressed ? 'compressed' : 'in';
      return covered.has(id) && summaryIn ? 'summarized' : 'left-out';
    };
    const seen = new Set<string>();
    placed = [];
    for (const { id, turn } of candidates) {
      if (id === null || seen.has(id)) continue;
      seen.add(id);
      const whole = tokens(turn);
      const status = statusOf(id);
      const sentTurn = status === 'compressed' ? sent.get(id)!.turn : turn;
      placed.push({ id, status, tokens: whole, sentTokens: status === 'left-out' || status === 'summarized' ? 0 : tokens(sentTurn) });
    }
    return placed;
  };
  return { turns, pinsOverBudget, breakdown, placement };
}

/** A group's turns as placed, with its pinned messages back in their place (whole). */
function withPins(items: ContextItem[], placed: Placed[], pinnedIds: Set<string>): Placed[] {
  const byItem = new Map(placed.map((p) => [p.item, p]));
  return items.flatMap((item) => {
    const p = byItem.get(item);
    if (p) return [p];
    return item.id && pinnedIds.has(item.id) ? [{ item, turn: item.turn, compressed: false }] : [];
  });
}
