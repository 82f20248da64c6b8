import { create, all, type MathJsInstance } from 'mathjs';
import { MAX_ELEMENTS, MAX_EXPRESSION, MAX_RESULT_CHARS, MAX_RESULT_ELEMENTS, MAX_STRING } from './math-limits.js';

/** A mathjs instance without the functions that would let an expression reach outside pure math. */
const math: MathJsInstance = create(all ?? {}, { number: 'number', precision: 64 });
const evaluateSafely = math.evaluate.bind(math);
// Kept before `import` itself is disabled below, to install the size checks.
const install = math.import.bind(math);
install(
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

/*
 * Functions that allocate by a size they are given (zeros(20000, 20000) asks for 400 million numbers) are checked
 * before they run, so such an expression gets a clear answer instead of exhausting memory. This cannot foresee
 * every large result (a product of two large matrices, say): the worker that evaluates expressions has its own
 * memory and time limits for the rest (math-sandbox.ts).
 */
type Sizer = (args: unknown[]) => number;

const isCollection = (value: unknown): boolean => Array.isArray(value) || math.isMatrix(value);
const entriesOf = (value: unknown): unknown[] => (math.isMatrix(value) ? (value.toArray() as unknown[]) : Array.isArray(value) ? value : []);
/** How many elements (or characters) a value holds. */
const elementsOf = (value: unknown): number => {
  if (typeof value === 'string') return value.length;
  if (math.isMatrix(value)) return value.size().reduce((p, n) => p * n, 1);
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + elementsOf(item), 0);
  return 1;
};
/** The dimensions in a size argument: numbers, or one array or matrix of them. */
const dimensions = (args: unknown[]): number[] => {
  const listed = isCollection(args[0]) ? entriesOf(args[0]).flat(Infinity) : args;
  return listed.filter((n): n is number => typeof n === 'number');
};
const product = (dims: number[]): number => dims.reduce((p, n) => p * Math.max(0, Math.ceil(Math.abs(n))), 1);
/** Functions like random(min, max) allocate only when their first argument is a size. */
const whenSized = (args: unknown[]): number => (isCollection(args[0]) ? product(dimensions(args)) : 1);

const SIZERS: Record<string, Sizer> = {
  zeros: (args) => product(dimensions(args)),
  ones: (args) => product(dimensions(args)),
  identity: (args) => {
    const dims = dimensions(args);
    return dims.length === 1 ? product([dims[0]!, dims[0]!]) : product(dims);
  },
  random: whenSized,
  randomInt: whenSized,
  pickRandom: (args) => (typeof args[1] === 'number' ? product([args[1]]) : 1),
  range: (args) => {
    if (typeof args[0] === 'string') return 1;
    const [start, end, step = 1] = args.filter((a): a is number => typeof a === 'number');
    if (start === undefined || end === undefined || step === 0) return 1;
    return Math.floor(Math.abs((end - start) / step)) + 1;
  },
  resize: (args) => product(isCollection(args[1]) ? dimensions([args[1]]) : []),
  concat: (args) => args.reduce<number>((sum, a) => sum + (typeof a === 'number' ? 0 : elementsOf(a)), 0),
  kron: (args) => elementsOf(args[0]) * elementsOf(args[1]),
};

function checked(name: string, size: Sizer, original: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    const wanted = size(args);
    const strings = args.some((a) => typeof a === 'string') && name === 'concat';
    const limit = strings ? MAX_STRING : MAX_ELEMENTS;
    if (!Number.isFinite(wanted) || wanted > limit) {
      throw new Error(
        `${name} would make ${Number.isFinite(wanted) ? wanted.toLocaleString('en') : 'too many'} ${strings ? 'characters' : 'elements'}; the math tool makes at most ${limit.toLocaleString('en')}`,
      );
    }
    return original(...args);
  };
}

// Inside expressions mathjs calls some functions through "transforms" (1-based ranges, say): both are checked.
const withTransforms = (math as unknown as { expression: { mathWithTransform: Record<string, (...args: unknown[]) => unknown> } }).expression.mathWithTransform;
const functions = math as unknown as Record<string, (...args: unknown[]) => unknown>;
install(
  Object.fromEntries(
    Object.entries(SIZERS).map(([name, size]) => {
      const plain = functions[name]!;
      const transform = withTransforms[name];
      const guarded = checked(name, size, plain);
      return [name, transform && transform !== plain ? Object.assign(guarded, { transform: checked(name, size, transform) }) : guarded];
    }),
  ),
  { override: true },
);

export interface MathResult {
  /** The result as mathjs prints it (numbers, units, matrices). */
  result: string;
  /** The plain number when the result is one. */
  value: number | null;
  unit: string | null;
}

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
  // A result too large to read is refused before it is printed: the model should ask for a summary of it.
  const elements = math.isResultSet(value)
    ? (value as { entries: unknown[] }).entries.reduce<number>((sum, entry) => sum + elementsOf(entry), 0)
    : elementsOf(value);
  if (elements > MAX_RESULT_ELEMENTS && typeof value !== 'string') {
    throw new Error(
      `The result has ${elements.toLocaleString('en')} elements; the math tool returns at most ${MAX_RESULT_ELEMENTS.toLocaleString('en')}. Ask for a summary of it instead (size, sum, max, a few rows).`,
    );
  }
  const result = math.format(value, { precision: 14 });
  if (result.length > MAX_RESULT_CHARS) {
    throw new Error(
      `The result is ${result.length.toLocaleString('en')} characters long; the math tool returns at most ${MAX_RESULT_CHARS.toLocaleString('en')}. Ask for a summary of it instead.`,
    );
  }
  return { result, value: null, unit: null };
}
