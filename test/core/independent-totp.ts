import { createHmac } from 'node:crypto';

/**
 * RFC 4226 (HOTP) and RFC 6238 (TOTP) written out from the RFCs with node:crypto, apart
 * from the kiosk's own TOTP (the otpauth package), so a test computes codes the way a
 * worker's phone would.
 */
export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  // RFC 4226 §5.3: dynamic truncation.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4: T = floor((now - T0) / X), T0 = 0, X = 30 s. */
export const totpAt = (secret: Buffer, epochMs: number, digits = 6) => hotp(secret, Math.floor(epochMs / 30_000), digits);

/** RFC 4648 §6 base32, spaces ignored: the "Setup key" a worker would type into the app. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
