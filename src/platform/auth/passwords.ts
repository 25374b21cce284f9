import bcrypt from 'bcryptjs';

/** Cost 10 keeps a login near 100 ms on a small server while staying expensive to brute-force. */
const COST = 10;

export function hashSecret(secret: string): Promise<string> {
  return bcrypt.hash(secret, COST);
}

export function verifySecret(secret: string, hash: string): Promise<boolean> {
  return bcrypt.compare(secret, hash);
}
