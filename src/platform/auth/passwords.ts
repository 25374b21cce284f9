import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** Cost 10 keeps a login near 100 ms on a small server while staying expensive to brute-force. */
const COST = 10;

export function hashSecret(secret: string): Promise<string> {
  return bcrypt.hash(secret, COST);
}

export function verifySecret(secret: string, hash: string): Promise<boolean> {
  return bcrypt.compare(secret, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real comparison and fails, for a login whose user does not exist or
 * cannot log in, so response times do not tell which usernames are real.
 */
export async function verifyNothing(secret: string): Promise<false> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await bcrypt.compare(secret, await dummyHash);
  return false;
}

/** Whether two secrets are equal, in a time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (secret: string) => createHash('sha256').update(secret).digest();
  return timingSafeEqual(digest(a), digest(b));
}
