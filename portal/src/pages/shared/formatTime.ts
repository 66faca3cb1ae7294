/** A time from the API (ISO 8601, UTC) as people read it: local date and time, to the minute; "—" when absent. */
export function formatTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return when.toLocaleString(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}
