import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Minimum length of a password a person chooses (BSI: length beats composition rules). */
export const MIN_PASSWORD_LENGTH = 12;

/** Hashes a password with argon2id (library defaults: m=19 MiB, t=2, p=1 – OWASP minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. With `storedHash` null (unknown or inactive
 * account) a dummy hash is verified anyway, so both cases cost about the same time and an
 * attacker cannot tell existing accounts from timing.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hash(randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// No 0/O, 1/l/I: one-time passwords are read off a terminal and typed by hand.
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random one-time password (20 characters, ~115 bits), grouped for reading aloud. */
export function generateOneTimePassword(): string {
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    // Rejection sampling keeps the distribution uniform.
    if (b >= 256 - (256 % OTP_ALPHABET.length)) continue;
    out += OTP_ALPHABET[b % OTP_ALPHABET.length];
    if (out.length === 20) break;
  }
  if (out.length < 20) return generateOneTimePassword();
  return out.match(/.{5}/g)!.join('-');
}
