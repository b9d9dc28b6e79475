export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
}

/** Sends a text. Rejects when the provider did not accept it. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
