/** Calendar arithmetic on YYYY-MM-DD strings in UTC (no time zones, no clocks: the generator stays pure). */
const DAY_MS = 86_400_000;

const parse = (d: string): Date => new Date(`${d}T00:00:00Z`);
const fmt = (d: Date): string => d.toISOString().slice(0, 10);

export const addDays = (d: string, days: number): string => fmt(new Date(parse(d).getTime() + days * DAY_MS));

export function addYears(d: string, years: number): string {
  const [y, m, day] = d.split('-').map(Number);
  // 29 February becomes 28 February in a common year.
  const target = new Date(Date.UTC(y + years, m - 1, Math.min(day, 28)));
  if (day > 28) target.setUTCDate(Math.min(day, new Date(Date.UTC(y + years, m, 0)).getUTCDate()));
  return fmt(target);
}

export const todayUtc = (): string => fmt(new Date());
