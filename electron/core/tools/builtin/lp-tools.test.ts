import { describe, expect, it } from 'vitest';
import { solveAssignment, solveLinearProgram } from './lp-tools.js';

describe('linear and integer programming (HiGHS)', () => {
  it('solves the workshop MILP and its LP relaxation with known answers', async () => {
    const workshop = {
      sense: 'maximize' as const,
      objective: { chairs: 30, tables: 50 },
      constraints: [
        { name: 'carpentry', coefficients: { chairs: 1, tables: 2 }, operator: '<=' as const, rhs: 40 },
        { name: 'finishing', coefficients: { chairs: 2, tables: 1 }, operator: '<=' as const, rhs: 50 },
      ],
    };
    const milp = await solveLinearProgram({ ...workshop, integers: ['chairs', 'tables'] });
    expect(milp).toMatchObject({
      status: 'optimal',
      objectiveValue: 1100,
      variables: { chairs: 20, tables: 10 },
      constraints: { carpentry: 40, finishing: 50 },
    });
    const lp = await solveLinearProgram({ ...workshop, constraints: [{ ...workshop.constraints[0]!, rhs: 41 }, workshop.constraints[1]!] });
    expect(lp.status).toBe('optimal');
    expect(lp.objectiveValue).toBeCloseTo((30 * 59) / 3 + (50 * 32) / 3, 6);
  });

  it('reports infeasible and unbounded problems as results', async () => {
    const infeasible = await solveLinearProgram({
      sense: 'minimize',
      objective: { x: 1 },
      constraints: [
        { coefficients: { x: 1 }, operator: '>=', rhs: 5 },
        { coefficients: { x: 1 }, operator: '<=', rhs: 3 },
      ],
    });
    expect(infeasible).toMatchObject({ status: 'infeasible', objectiveValue: null, variables: {} });
    const unbounded = await solveLinearProgram({
      sense: 'maximize',
      objective: { x: 1, y: 1 },
      constraints: [{ coefficients: { x: 1, y: -1 }, operator: '<=', rhs: 1 }],
    });
    expect(['unbounded', 'infeasible or unbounded']).toContain(unbounded.status);
  });

  it('accepts any variable names and free or bounded variables', async () => {
    const result = await solveLinearProgram({
      sense: 'minimize',
      objective: { 'net profit (€)': 1 },
      constraints: [{ coefficients: { 'net profit (€)': 1 }, operator: '>=', rhs: -7 }],
      bounds: { 'net profit (€)': { lower: null, upper: 10 } },
    });
    expect(result).toMatchObject({ status: 'optimal', variables: { 'net profit (€)': -7 } });
  });

  it('assigns workers to tasks at the lowest total cost', async () => {
    const result = await solveAssignment({
      costs: [
        [9, 2, 7],
        [6, 4, 3],
        [5, 8, 1],
      ],
      workers: ['Ann', 'Bo', 'Cy'],
      tasks: ['A', 'B', 'C'],
    });
    expect(result.status).toBe('optimal');
    expect(result.total).toBe(9);
    expect(result.assignments).toEqual([
      { worker: 'Ann', task: 'B', cost: 2 },
      { worker: 'Bo', task: 'A', cost: 6 },
      { worker: 'Cy', task: 'C', cost: 1 },
    ]);
    await expect(solveAssignment({ costs: [[1, 2, 3]] })).rejects.toThrow(/3 tasks but only 1 workers/);
  });
});
