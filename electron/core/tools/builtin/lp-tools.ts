import loadHighs from 'highs';

export type Comparison = '<=' | '>=' | '=';

export interface LinearProgram {
  sense: 'maximize' | 'minimize';
  /** Coefficient per variable name. */
  objective: Record<string, number>;
  constraints: { name?: string | undefined; coefficients: Record<string, number>; operator: Comparison; rhs: number }[];
  /** Default bounds are 0 ≤ x < ∞. */
  bounds?: Record<string, { lower?: number | null | undefined; upper?: number | null | undefined }> | undefined;
  integers?: string[] | undefined;
  binaries?: string[] | undefined;
}

export interface LinearProgramResult {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'infeasible or unbounded' | 'time limit' | 'other';
  /** HiGHS's own words for the outcome. */
  solverStatus: string;
  objectiveValue: number | null;
  variables: Record<string, number>;
  /** For each named constraint: its activity (left-hand side) at the solution. */
  constraints: Record<string, number>;
}

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Promise<Highs> | null = null;
const MAX_VARIABLES = 5_000;

/**
 * Solves an LP or MILP with HiGHS. Variables get safe internal names (x0, x1…) so any name the model picks works,
 * and infeasible or unbounded problems come back as results, not errors.
 */
export async function solveLinearProgram(problem: LinearProgram): Promise<LinearProgramResult> {
  const names = collectNames(problem);
  if (names.length === 0) throw new Error('The problem has no variables.');
  if (names.length > MAX_VARIABLES) throw new Error(`The problem has ${names.length} variables; at most ${MAX_VARIABLES} are allowed.`);
  const safe = new Map(names.map((name, i) => [name, `x${i}`]));
  const term = (coefficients: Record<string, number>) => {
    const parts = Object.entries(coefficients)
      .filter(([, c]) => c !== 0)
      .map(([name, c]) => `${c < 0 ? '-' : '+'} ${Math.abs(c)} ${safe.get(name)}`);
    return parts.length ? parts.join(' ') : `0 ${safe.get(names[0]!)}`;
  };
  for (const c of problem.constraints) {
    for (const value of [...Object.values(c.coefficients), c.rhs])
      if (!Number.isFinite(value)) throw new Error(`Constraint "${c.name ?? ''}" has a number that is not finite.`);
  }

  const lines = [problem.sense === 'maximize' ? 'Maximize' : 'Minimize', ` obj: ${term(problem.objective)}`, 'Subject To'];
  problem.constraints.forEach((c, i) => lines.push(` c${i}: ${term(c.coefficients)} ${c.operator} ${c.rhs}`));
  lines.push('Bounds');
  for (const name of names) {
    const b = problem.bounds?.[name];
    const lower = b?.lower === null ? '-inf' : (b?.lower ?? 0);
    const upper = b?.upper === null || b?.upper === undefined ? '+inf' : b.upper;
    lines.push(` ${lower} <= ${safe.get(name)} <= ${upper}`);
  }
  const integers = (problem.integers ?? []).filter((n) => safe.has(n));
  if (integers.length) lines.push('General', ` ${integers.map((n) => safe.get(n)).join(' ')}`);
  const binaries = (problem.binaries ?? []).filter((n) => safe.has(n));
  if (binaries.length) lines.push('Binary', ` ${binaries.map((n) => safe.get(n)).join(' ')}`);
  lines.push('End');

  highs ??= loadHighs();
  const solution = (await highs).solve(lines.join('\n'), { output_flag: false, time_limit: 30 });
  const status = statusOf(solution.Status);
  const solved = status === 'optimal' || (status === 'time limit' && Number.isFinite(solution.ObjectiveValue));
  const variables: Record<string, number> = {};
  const columns = solution.Columns as Record<string, { Primal?: number } | undefined>;
  if (solved) for (const name of names) variables[name] = roundNoise(columns[safe.get(name)!]?.Primal ?? 0);
  const constraints: Record<string, number> = {};
  if (solved) {
    problem.constraints.forEach((c, i) => {
      const row = (solution.Rows as { Name?: string; Primal?: number }[])[i];
      constraints[c.name ?? `constraint ${i + 1}`] = roundNoise(row?.Primal ?? 0);
    });
  }
  return { status, solverStatus: solution.Status, objectiveValue: solved ? roundNoise(solution.ObjectiveValue) : null, variables, constraints };
}

export interface AssignmentResult {
  status: LinearProgramResult['status'];
  total: number | null;
  assignments: { worker: string; task: string; cost: number }[];
}

/** Assigns workers to tasks (each task to exactly one worker, each worker to at most one task), as a MILP. */
export async function solveAssignment(input: {
  costs: number[][];
  workers?: string[] | undefined;
  tasks?: string[] | undefined;
  maximize?: boolean | undefined;
}): Promise<AssignmentResult> {
  const rows = input.costs.length;
  const cols = input.costs[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new Error('The cost matrix is empty.');
  if (input.costs.some((row) => row.length !== cols)) throw new Error('Every row of the cost matrix needs the same number of tasks.');
  if (cols > rows) throw new Error(`There are ${cols} tasks but only ${rows} workers: every task needs its own worker.`);
  const workers = input.workers ?? input.costs.map((_, i) => `worker ${i + 1}`);
  const tasks = input.tasks ?? input.costs[0]!.map((_, j) => `task ${j + 1}`);
  if (workers.length !== rows || tasks.length !== cols) throw new Error('The names do not match the size of the cost matrix.');
  const v = (i: number, j: number) => `a_${i}_${j}`;
  const objective: Record<string, number> = {};
  const binaries: string[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      objective[v(i, j)] = input.costs[i]![j]!;
      binaries.push(v(i, j));
    }
  const constraints: LinearProgram['constraints'] = [];
  for (let j = 0; j < cols; j++) constraints.push({ coefficients: Object.fromEntries(workers.map((_, i) => [v(i, j), 1])), operator: '=', rhs: 1 });
  for (let i = 0; i < rows; i++) constraints.push({ coefficients: Object.fromEntries(tasks.map((_, j) => [v(i, j), 1])), operator: '<=', rhs: 1 });
  const result = await solveLinearProgram({ sense: input.maximize ? 'maximize' : 'minimize', objective, constraints, binaries });
  const assignments: AssignmentResult['assignments'] = [];
  if (result.status === 'optimal') {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        if ((result.variables[v(i, j)] ?? 0) > 0.5) assignments.push({ worker: workers[i]!, task: tasks[j]!, cost: input.costs[i]![j]! });
      }
  }
  return { status: result.status, total: result.objectiveValue, assignments };
}

function collectNames(problem: LinearProgram): string[] {
  const names = new Set<string>(Object.keys(problem.objective));
  for (const c of problem.constraints) for (const name of Object.keys(c.coefficients)) names.add(name);
  return [...names];
}

function statusOf(status: string): LinearProgramResult['status'] {
  if (status === 'Optimal') return 'optimal';
  if (status === 'Infeasible') return 'infeasible';
  if (status === 'Unbounded') return 'unbounded';
  if (/unbounded or infeasible|infeasible or unbounded/i.test(status)) return 'infeasible or unbounded';
  if (/time limit/i.test(status)) return 'time limit';
  return 'other';
}

/** Solver results like 19.999999999 are 20 for a reader. */
function roundNoise(value: number): number {
  const rounded = Math.round(value * 1e9) / 1e9;
  return Object.is(rounded, -0) ? 0 : rounded;
}
