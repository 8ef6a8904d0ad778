const dateFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** parseDate reads an RFC 3339 date; Go's zero time and garbage give null. */
export function parseDate(iso: string): Date | null {
  if (!iso || iso.startsWith("0001-01-01")) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** formatDate is a short local date ("Mar 4, 2024"), or "" when there is none. */
export function formatDate(iso: string): string {
  const d = parseDate(iso);
  return d ? dateFormat.format(d) : "";
}

/** formatDateTime is a local date and time, or "" when there is none. */
export function formatDateTime(iso: string): string {
  const d = parseDate(iso);
  return d ? dateTimeFormat.format(d) : "";
}

/** formatCount is a whole number with the locale's grouping. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** formatMs is a duration in milliseconds, with one decimal below 10 ms. */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
