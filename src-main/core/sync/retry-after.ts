/** The shortest wait a `Retry-After` gives: 0, a fraction or a past date must not turn into a burst. */
export const MIN_RETRY_WAIT_MS = 1000;
/** The longest: a server asking for a day is answered with a try in an hour. */
export const MAX_RETRY_WAIT_MS = 60 * 60 * 1000;

const deltaSeconds = /^\d+(?:\.\d+)?$/;
const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const longDay = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const month = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const time = '\\d{2}:\\d{2}:\\d{2}';
// RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const imfFixdate = new RegExp(`^${day}, \\d{2} ${month} \\d{4} ${time} GMT$`);
const rfc850 = new RegExp(`^${longDay}, \\d{2}-${month}-\\d{2} ${time} GMT$`);
const asctime = new RegExp(`^${day} ${month} [ \\d]\\d ${time} \\d{4}$`);

/**
 * How long to wait before trying a server again that answered 429 or 503, from its
 * `Retry-After` (RFC 9110 §10.2.3): delta-seconds — with decimals too, as Microsoft
 * Graph's throttling guide shows (`2.128`), rounded up to whole seconds — or an HTTP-date.
 * Always 1 s – 1 h. Undefined when the header is absent or unreadable: the caller backs
 * off its own way.
 */
export function retryDelayMs(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let delay: number;
  if (deltaSeconds.test(value)) delay = Math.ceil(Number(value)) * 1000;
  else {
    const date = httpDate(value);
    if (date === undefined) return undefined;
    delay = date - now;
  }
  return Math.min(MAX_RETRY_WAIT_MS, Math.max(MIN_RETRY_WAIT_MS, delay));
}

/** `retryDelayMs` as a moment: ms since the epoch. */
export function retryAtFrom(header: string | null | undefined, now: number): number | undefined {
  const delay = retryDelayMs(header, now);
  return delay === undefined ? undefined : now + delay;
}

function httpDate(value: string): number | undefined {
  let text: string;
  if (imfFixdate.test(value)) text = value;
  else if (rfc850.test(value)) {
    // Two-digit years: RFC 9110 reads one more than 50 years ahead as the past century.
    const [, dd, mon, yy, rest] = /^\w+, (\d{2})-(\w{3})-(\d{2}) (.*)$/.exec(value)!;
    const year = 2000 + Number(yy) > new Date().getUTCFullYear() + 50 ? 1900 + Number(yy) : 2000 + Number(yy);
    text = `${dd} ${mon} ${year} ${rest}`;
  } else if (asctime.test(value)) {
    const [, mon, dd, clock, year] = /^\w{3} (\w{3}) +(\d{1,2}) (\S+) (\d{4})$/.exec(value)!;
    text = `${dd} ${mon} ${year} ${clock} GMT`;
  } else return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : date;
}
