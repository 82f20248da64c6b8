import { create, all, type MathJsInstance } from 'mathjs';

/** A mathjs instance without the functions that would let an expression reach outside pure math. */
const math: MathJsInstance = create(all ?? {}, { number: 'number', precision: 64 });
const evaluateSafely = math.evaluate.bind(math);
math.import(
  {
    import: () => {
      throw new Error('import is disabled');
    },
    createUnit: () => {
      throw new Error('createUnit is disabled');
    },
    evaluate: () => {
      throw new Error('nested evaluate is disabled');
    },
    parse: () => {
      throw new Error('parse is disabled');
    },
    simplify: () => {
      throw new Error('simplify is disabled');
    },
    derivative: () => {
      throw new Error('derivative is disabled');
    },
  },
  { override: true },
);

export interface MathResult {
  /** The result as mathjs prints it (numbers, units, matrices). */
  result: string;
  /** The plain number when the result is one. */
  value: number | null;
  unit: string | null;
}

const MAX_EXPRESSION = 2_000;

/** Evaluates an expression: arithmetic, functions, matrices, units ("5 km + 300 m", "12 inch to cm"). */
export function evaluateExpression(expression: string): MathResult {
  if (expression.length > MAX_EXPRESSION) throw new Error(`The expression is longer than ${MAX_EXPRESSION} characters.`);
  let value: unknown;
  try {
    value = evaluateSafely(expression);
  } catch (error) {
    throw new Error(`Cannot evaluate "${expression}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof value === 'function' || value === undefined) throw new Error(`"${expression}" does not evaluate to a value.`);
  return describeValue(value);
}

/** Converts a quantity between units, e.g. 5, "mile", "km". */
export function convertUnits(value: number, from: string, to: string): MathResult & { from: string; to: string } {
  let converted: unknown;
  try {
    converted = math.unit(value, from).to(to);
  } catch (error) {
    throw new Error(`Cannot convert ${value} ${from} to ${to}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { ...describeValue(converted), from, to };
}

function describeValue(value: unknown): MathResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { result: String(value), value: null, unit: null };
    return { result: math.format(value, { precision: 14 }), value, unit: null };
  }
  if (math.isUnit(value)) {
    const unit = value.formatUnits();
    const number = value.toNumber(unit);
    return { result: `${math.format(number, { precision: 14 })} ${unit}`.trim(), value: number, unit: unit || null };
  }
  return { result: math.format(value, { precision: 14 }), value: null, unit: null };
}
