import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe token (256 bits). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** SHA-256 hex of a token; what the database stores instead of the token. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Constant-time string comparison (false for different lengths). */
export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && ba.length > 0 && timingSafeEqual(ba, bb);
}
