import { add, differenceInBusinessDays, differenceInCalendarDays, differenceInMinutes, format, isValid, parseISO } from 'date-fns';

export type DateUnit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

function parse(value: string): Date {
  const date = parseISO(value);
  if (!isValid(date)) throw new Error(`"${value}" is not a date in ISO form (like 2026-03-14 or 2026-03-14T09:30).`);
  return date;
}

const iso = (date: Date, withTime: boolean) => (withTime ? format(date, "yyyy-MM-dd'T'HH:mm") : format(date, 'yyyy-MM-dd'));

/** Date arithmetic on calendar dates and local times (ISO input), so months and leap years come out right. */
export function calculateDate(input: {
  operation: 'add' | 'difference' | 'weekday';
  date: string;
  amount?: number | undefined;
  unit?: DateUnit | undefined;
  to?: string | undefined;
}) {
  const date = parse(input.date);
  const withTime = input.date.includes('T');
  switch (input.operation) {
    case 'add': {
      if (input.amount === undefined || !input.unit) throw new Error('"add" needs an amount and a unit.');
      const result = add(date, { [input.unit]: input.amount });
      return { result: iso(result, withTime || input.unit === 'hours' || input.unit === 'minutes'), weekday: format(result, 'EEEE') };
    }
    case 'difference': {
      if (!input.to) throw new Error('"difference" needs a second date in "to".');
      const to = parse(input.to);
      return {
        days: differenceInCalendarDays(to, date),
        businessDays: differenceInBusinessDays(to, date),
        minutes: differenceInMinutes(to, date),
      };
    }
    case 'weekday':
      return {
        weekday: format(date, 'EEEE'),
        isoWeek: Number(format(date, 'I')),
        dayOfYear: Number(format(date, 'D', { useAdditionalDayOfYearTokens: true })),
      };
  }
}
