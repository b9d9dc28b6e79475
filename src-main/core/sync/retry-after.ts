/**
 * When a server that answered 429 or 503 asked to be tried again: `Retry-After` holds either
 * seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms since the epoch, or undefined when
 * the header is absent or unreadable.
 */
export function retryAtFrom(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value)) return now + Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(now, date);
}
