/** How a code reaches a worker: a text, or a call that reads it out. */
export type Channel = 'sms' | 'voice';

export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
}

/** A call that reads the code out. */
export interface VoiceMessage {
  /** E.164. */
  to: string;
  /** What is said, exactly as written: the code digit by digit, twice (`idp/spoken-code.ts`). */
  words: string;
  /** BCP 47 of the words (`en`, `es`, `es-MX`): picks the provider's language and voice. */
  language: string;
}

/** What a provider reports once it took a message: which provider, for a fallback. */
export interface Delivery {
  provider: string;
  /** The primary refused in a way that proves nothing went out, so the fallback sent it. */
  failover?: { from: string; reason: string };
}

/**
 * Sends a text, and where the provider can place calls, a call. Each rejects with an
 * `SmsSendError` when the provider did not take the message.
 */
export interface SmsSender {
  /** Recorded in the audit log with each send: `demo`, `twilio`, `webhook`. */
  readonly provider: string;
  send(message: SmsMessage): Promise<Delivery | void>;
  /** Present only where the provider can call: "Call me instead" is offered only then. */
  call?(message: VoiceMessage): Promise<Delivery | void>;
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
    /**
     * The failure proves the provider sent nothing: it refused in its documented error shape,
     * the connection was refused, or the kiosk never asked (a missing secret). Only then may
     * a fallback provider send the same code (`fallback-sender.ts`); after a timeout or a
     * reset the message may be on its way, and a second provider would only duplicate it.
     */
    readonly nothingSent = false,
  ) {
    super(message);
  }
}
