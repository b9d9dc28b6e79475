import type { DemoSms } from '../../../shared/contract';
import type { Clock } from '../base/clock';
import { maskPhoneNumber } from '../directory/phone-number';
import { randomId, type RandomSource } from '../base/random';
import type { SmsMessage, SmsSender, VoiceMessage } from './sms-sender';

/**
 * Demo mode's SMS provider: nothing leaves the machine. Each text, and each call with the
 * words it would say, is handed to the on-screen demo phone instead.
 */
export class DemoOutbox implements SmsSender {
  readonly provider = 'demo';

  constructor(
    private readonly deliver: (sms: DemoSms) => void,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  send(message: SmsMessage): Promise<void> {
    this.deliver({ id: randomId(this.random), channel: 'sms', maskedTo: maskPhoneNumber(message.to), body: message.body, sentAt: this.clock.now() });
    return Promise.resolve();
  }

  call(message: VoiceMessage): Promise<void> {
    this.deliver({
      id: randomId(this.random),
      channel: 'voice',
      maskedTo: maskPhoneNumber(message.to),
      body: message.words,
      language: message.language,
      sentAt: this.clock.now(),
    });
    return Promise.resolve();
  }
}
