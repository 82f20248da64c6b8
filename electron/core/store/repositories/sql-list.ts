import { sql, type SQL } from 'drizzle-orm';

/** Values as a bound SQL list, for `IN (…)` (the caller makes sure there is at least one). */
export function inList(values: readonly (number | string)[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}
