import { describe, expect, it } from 'vitest';
import { calculateDate } from './date-tools.js';
import { correlation, describeColumn, groupBy, linearRegression, readTable } from './stats-tools.js';

const csv = `region,units,price
north,10,2.5
south,20,2
north,30,3
south,40,1.5
west,,4`;

describe('statistics over tables', () => {
  it('describes a column, skipping empty cells', () => {
    const d = describeColumn(readTable(csv), 'units');
    expect(d).toMatchObject({ count: 4, missing: 1, mean: 25, median: 25, min: 10, max: 40 });
    expect(d.standardDeviation).toBeCloseTo(12.909944, 5);
  });

  it('aggregates by group', () => {
    expect(groupBy(readTable(csv), 'region', 'units', 'sum').groups).toEqual([
      { group: 'north', value: 40 },
      { group: 'south', value: 60 },
      { group: 'west', value: null },
    ]);
  });

  it('finds correlation and a regression line with known answers, from JSON rows too', () => {
    const rows = readTable(
      JSON.stringify([
        { x: 1, y: 3 },
        { x: 2, y: 5 },
        { x: 3, y: 7 },
        { x: 4, y: 9 },
      ]),
    );
    expect(correlation(rows, 'x', 'y').pearson).toBeCloseTo(1, 12);
    expect(linearRegression(rows, 'x', 'y')).toMatchObject({ slope: 2, intercept: 1, rSquared: 1, n: 4 });
  });

  it('names the columns when one is missing, and the row of broken CSV', () => {
    expect(() => describeColumn(readTable(csv), 'revenue')).toThrow('There is no column "revenue". Columns: region, units, price.');
    expect(() => readTable('a,b\n1,2\n"3,4')).toThrow(/could not be read at row/);
  });
});

describe('date arithmetic', () => {
  it('adds months at month ends and across leap years', () => {
    expect(calculateDate({ operation: 'add', date: '2024-01-31', amount: 1, unit: 'months' })).toEqual({ result: '2024-02-29', weekday: 'Thursday' });
    expect(calculateDate({ operation: 'add', date: '2026-11-25T17:30', amount: 90, unit: 'minutes' }).result).toBe('2026-11-25T19:00');
  });

  it('counts days and business days between dates, and names weekdays', () => {
    expect(calculateDate({ operation: 'difference', date: '2026-11-20', to: '2026-12-04' })).toMatchObject({ days: 14, businessDays: 10 });
    expect(calculateDate({ operation: 'weekday', date: '2026-11-25' })).toMatchObject({ weekday: 'Wednesday', isoWeek: 48, dayOfYear: 329 });
    expect(() => calculateDate({ operation: 'weekday', date: 'next tuesday' })).toThrow(/not a date in ISO form/);
  });
});
