import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a session's cookie secret gives: the row's key (its SHA-256), the key that seals the
 * session's access token in that row, and the session's CSRF token. Without the cookie the
 * database holds nothing that calls the API, as it holds access tokens only as hashes.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function idHashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function derived(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}

export function csrfTokenOf(secret: string): string {
  return derived(secret, 'csrf').toString('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function seal(secret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derived(secret, 'seal'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function unseal(secret: string, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', derived(secret, 'seal'), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
