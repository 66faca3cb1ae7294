import type { TenantUsage } from "../../api/tenant";

/** A UTC day as the API writes it, `yyyy-MM-dd`. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** This calendar month so far (UTC): the range the monthly quotas count. */
export function thisMonth(now: Date): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { from: utcDay(first), to: utcDay(now) };
}

/** The last `days` UTC days, today included. */
export function lastDays(now: Date, days: number): { from: string; to: string } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return { from: utcDay(from), to: utcDay(now) };
}

export interface DayUnits {
  day: string;
  read: number;
  write: number;
}

/** Every day from `from` to `to`, with zero on the days the API leaves out (it lists only days with usage). */
export function fillDays(usage: Pick<TenantUsage, "days">, from: string, to: string): DayUnits[] {
  const byDay = new Map((usage.days ?? []).map((d) => [d.day, d]));
  const result: DayUnits[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    const day = utcDay(new Date(t));
    const found = byDay.get(day);
    result.push({ day, read: found?.read_units ?? 0, write: found?.write_units ?? 0 });
  }
  return result;
}

/** "1,234 of 10,000 (12 %)", or just the use when there is no quota. */
export function useOf(used: number, quota: number | undefined | null): string {
  if (!quota) return used.toLocaleString("en");
  const percent = Math.min(100, Math.floor((used / quota) * 100));
  return `${used.toLocaleString("en")} of ${quota.toLocaleString("en")} (${percent} %)`;
}
