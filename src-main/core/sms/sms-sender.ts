export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
}

/** Sends a text. Rejects with an `SmsSendError` when the provider did not accept it. */
export interface SmsSender {
  /** Recorded in the audit log with each send: `demo`, `twilio`, `webhook`. */
  readonly provider: string;
  send(message: SmsMessage): Promise<void>;
}

/**
 * Why a text did not go out, in words safe for the audit log: never the message body
 * (it holds the code) and never the full number.
 */
export class SmsSendError extends Error {
  override name = 'SmsSendError';

  constructor(
    /** Short and stable: `timeout`, `network`, `http-500`, `twilio-21211`, `missing-secret`… */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
