import { randomBytes } from 'node:crypto';

/** Where unpredictability comes from. Production uses the OS CSPRNG; tests pass a seeded fake. */
export interface RandomSource {
  bytes(count: number): Buffer;
}

export const cryptoRandom: RandomSource = { bytes: (count) => randomBytes(count) };

/** 128 random bits as 32 hex characters: challenge and session ids. */
export function randomId(random: RandomSource): string {
  return random.bytes(16).toString('hex');
}
