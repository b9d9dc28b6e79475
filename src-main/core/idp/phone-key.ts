import { createHmac } from 'node:crypto';

/**
 * A keyed hash of an E.164 number: lets the audit log and the send caps find "all events
 * for this number" without storing the number. The key lives in the OS keychain.
 */
export type PhoneKey = (e164: string) => string;

export function phoneKeyer(key: Buffer): PhoneKey {
  return (e164) => createHmac('sha256', key).update(e164).digest('hex');
}
