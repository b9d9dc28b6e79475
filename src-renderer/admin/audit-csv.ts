import type { AuditEventView } from '../../shared/contract';

/** One CSV field: quoted, and never read as a formula by a spreadsheet (OWASP CSV injection). */
const field = (value: string) => `"${(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value).replaceAll('"', '""')}"`;

/** The filtered activity as CSV, in the screen's words plus main's identifiers for IT. */
export function auditCsv(events: AuditEventView[], describe: (event: AuditEventView) => string, headings: string[]): string {
  const rows = events.map((e) => [new Date(e.at).toISOString(), describe(e), e.outcome, e.type, e.reason ?? '', e.userId ?? '', e.phoneMasked ?? '']);
  return [headings, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
