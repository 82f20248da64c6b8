import Papa from 'papaparse';
import * as ss from 'simple-statistics';

export type Row = Record<string, unknown>;
const MAX_ROWS = 200_000;

/** Reads a table given as CSV text (header row first) or as JSON rows. */
export function readTable(data: string | Row[]): Row[] {
  if (Array.isArray(data)) return data;
  const trimmed = data.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed)) throw new Error('JSON data must be an array of row objects.');
    return parsed as Row[];
  }
  const parsed = Papa.parse<Row>(trimmed, { header: true, dynamicTyping: true, skipEmptyLines: true });
  // A one-column table has no delimiter to detect; that is not a problem with the data.
  const errors = parsed.errors.filter((e) => e.code !== 'UndetectableDelimiter');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new Error(`The CSV could not be read at row ${(first.row ?? 0) + 2}: ${first.message}.`);
  }
  if (parsed.data.length > MAX_ROWS) throw new Error(`The table has ${parsed.data.length} rows; at most ${MAX_ROWS} are allowed.`);
  return parsed.data;
}

function numbers(rows: Row[], column: string): number[] {
  if (rows.length > 0 && !(column in rows[0]!)) throw new Error(`There is no column "${column}". Columns: ${Object.keys(rows[0]!).join(', ')}.`);
  const values = rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) throw new Error(`The column "${column}" has no numbers.`);
  return values;
}

export function describeColumn(rows: Row[], column: string) {
  const values = numbers(rows, column);
  return {
    column,
    count: values.length,
    missing: rows.length - values.length,
    mean: ss.mean(values),
    median: ss.median(values),
    min: ss.min(values),
    max: ss.max(values),
    standardDeviation: values.length > 1 ? ss.sampleStandardDeviation(values) : 0,
    q1: ss.quantile(values, 0.25),
    q3: ss.quantile(values, 0.75),
  };
}

export type Aggregate = 'sum' | 'mean' | 'median' | 'min' | 'max' | 'count';

export function groupBy(rows: Row[], by: string, column: string, aggregate: Aggregate) {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const key = String(row[by] ?? '(empty)');
    const value = row[column];
    const list = groups.get(key) ?? [];
    if (typeof value === 'number' && Number.isFinite(value)) list.push(value);
    groups.set(key, list);
  }
  if (groups.size === 0) throw new Error('The table is empty.');
  const apply = (values: number[]): number | null => {
    if (aggregate === 'count') return values.length;
    if (values.length === 0) return null;
    return { sum: ss.sum, mean: ss.mean, median: ss.median, min: ss.min, max: ss.max }[aggregate](values);
  };
  return { by, column, aggregate, groups: [...groups.entries()].map(([group, values]) => ({ group, value: apply(values) })) };
}

/** Pairs of numbers from two columns, from the rows that have both. */
function pairs(rows: Row[], x: string, y: string): [number, number][] {
  numbers(rows, x);
  numbers(rows, y);
  const out = rows
    .map((r) => [r[x], r[y]] as const)
    .filter((p): p is readonly [number, number] => typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map(([a, b]) => [a, b] as [number, number]);
  if (out.length < 2) throw new Error(`Fewer than 2 rows have numbers in both "${x}" and "${y}".`);
  return out;
}

export function correlation(rows: Row[], x: string, y: string) {
  const p = pairs(rows, x, y);
  return {
    x,
    y,
    n: p.length,
    pearson: ss.sampleCorrelation(
      p.map((v) => v[0]),
      p.map((v) => v[1]),
    ),
  };
}

export function linearRegression(rows: Row[], x: string, y: string) {
  const p = pairs(rows, x, y);
  const { m, b } = ss.linearRegression(p);
  const line = ss.linearRegressionLine({ m, b });
  return { x, y, n: p.length, slope: m, intercept: b, rSquared: ss.rSquared(p, line) };
}
