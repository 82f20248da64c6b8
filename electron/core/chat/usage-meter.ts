import type { MessageUsage, Usage } from '../../../shared/index.js';
import type { ChatTurn, ToolDefinition } from '../providers/types.js';

/** How the meter counts tokens when it has to estimate (the tokenizer; see estimate.ts). */
export interface TokenCounter {
  /** A request's input: its turns and the tool definitions sent with it. */
  input(turns: readonly ChatTurn[], tools: readonly ToolDefinition[]): number;
  text(text: string): number;
}

/** One model turn of an answer, as far as the meter is concerned. */
interface MeteredStep {
  /** The turns sent, as they were (the loop appends to its own array afterwards). */
  turns: readonly ChatTurn[];
  tools: readonly ToolDefinition[];
  /** The provider took the request (its headers came) or streamed something: from here on it bills. */
  accepted: boolean;
  /** Text and tool calls received (names and arguments), and reasoning apart. */
  output: string[];
  reasoning: string[];
  /** What the provider reported for this turn; null until it does (it reports at the end of a turn). */
  billed: Usage | null;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/**
 * Counts an answer's tokens turn by turn. A provider reports usage at the end of each model turn, so a turn that
 * was stopped or cut off has none, though the provider bills what it read and streamed: such a turn is estimated
 * with the tokenizer from what was sent and received, and the answer's usage is then marked an estimate. Turns the
 * provider did report keep its numbers.
 */
export class UsageMeter {
  private readonly steps: MeteredStep[] = [];

  constructor(private readonly counter: TokenCounter) {}

  /** A model turn is sent. */
  beginStep(turns: readonly ChatTurn[], tools: readonly ToolDefinition[]): void {
    this.steps.push({ turns: [...turns], tools, accepted: false, output: [], reasoning: [], billed: null });
  }

  accepted(): void {
    const step = this.steps.at(-1);
    if (step) step.accepted = true;
  }

  received(kind: 'output' | 'reasoning', text: string): void {
    const step = this.steps.at(-1);
    if (!step) return;
    step.accepted = true;
    step[kind].push(text);
  }

  /** The provider's counts for the current turn; returns what it has billed for the whole answer so far. */
  billed(usage: Usage): Usage {
    const step = this.steps.at(-1);
    if (step) step.billed = addUsage(step.billed ?? ZERO_USAGE, usage);
    return this.steps.reduce((total, s) => (s.billed ? addUsage(total, s.billed) : total), ZERO_USAGE);
  }

  /**
   * A provider that failed before answering gives way to the next one (a fallback happens only then): its last
   * turn streamed nothing and, unreported, is not counted.
   */
  discardUnreported(): void {
    const step = this.steps.at(-1);
    if (step && !step.billed) this.steps.pop();
  }

  /**
   * Each model turn the provider billed: the local (uncorrected) count of what was sent, beside the input tokens it
   * billed for it (what token calibration learns from).
   */
  billedInputs(): { estimated: number; billed: number }[] {
    return this.steps.flatMap((step) => (step.billed ? [{ estimated: this.counter.input(step.turns, step.tools), billed: step.billed.inputTokens }] : []));
  }

  /** The answer's usage: reported turns as billed, the rest estimated; null when no turn reached the provider. */
  total(): MessageUsage | null {
    let usage = ZERO_USAGE;
    let estimated = false;
    let counted = false;
    for (const step of this.steps) {
      if (step.billed) {
        usage = addUsage(usage, step.billed);
        counted = true;
      } else if (step.accepted) {
        usage = addUsage(usage, this.estimate(step));
        estimated = true;
        counted = true;
      }
    }
    return counted ? { ...usage, source: estimated ? 'estimate' : 'provider' } : null;
  }

  private estimate(step: MeteredStep): Usage {
    const reasoning = step.reasoning.length > 0 ? this.counter.text(step.reasoning.join('')) : 0;
    const output = step.output.length > 0 ? this.counter.text(step.output.join('')) : 0;
    return {
      // Nothing is known of the provider's cache for this turn, so all of it is priced as fresh input.
      inputTokens: this.counter.input(step.turns, step.tools),
      outputTokens: output + reasoning,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: reasoning,
    };
  }
}

/** Usage of two model turns added up (each turn is billed). */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}
