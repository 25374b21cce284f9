import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks serialises a symmetric key as "whsec_" + base64 of 24 to 64 random bytes.
 * Secrets Deuterium generates take that form, so they can be handed unchanged to a Standard
 * Webhooks library; Hydrogen-style receivers simply use the whole string as their HMAC key.
 */
const STANDARD_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function generateSecret(): string {
  return STANDARD_PREFIX + randomBytes(32).toString('base64');
}

/** Why a secret sent by a client cannot be used, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
  if (!secret.startsWith(STANDARD_PREFIX)) return undefined;
  const encoded = secret.slice(STANDARD_PREFIX.length);
  const size = Buffer.from(encoded, 'base64').length;
  if (!BASE64.test(encoded) || size < MIN_KEY_BYTES || size > MAX_KEY_BYTES) {
    return `a secret starting with "${STANDARD_PREFIX}" must continue with the base64 of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes`;
  }
  return undefined;
}

/**
 * The HMAC key for Standard Webhooks signatures: the decoded bytes of a "whsec_" secret, or the
 * UTF-8 bytes of any other secret (receivers then pass "whsec_" + base64(secret) to their library).
 */
export function standardWebhooksKey(secret: string): Buffer {
  return secret.startsWith(STANDARD_PREFIX) ? Buffer.from(secret.slice(STANDARD_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

export interface SignedParts {
  date: string;
  contentType: string;
  contentLength: number;
  body: string;
}

/**
 * Hydrogen's scheme: the lowercase hex HMAC-SHA256 of the signed header values and the body
 * joined by single spaces, keyed with the secret as given, then base64 of that hex text.
 */
export function hydrogenSignature(secret: string, parts: SignedParts): string {
  const signed = `${parts.date} ${parts.contentType} ${parts.contentLength} ${parts.body}`;
  const hex = createHmac('sha256', secret).update(signed).digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

export function hydrogenSignatureHeader(secret: string, parts: SignedParts): string {
  return `headers=date content-type content-length content,algorithm=HMAC_SHA_256,signature=${hydrogenSignature(secret, parts)}`;
}

/** Standard Webhooks' "v1," signature over "<id>.<timestamp>.<body>". */
export function standardWebhooksSignature(secret: string, id: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${digest}`;
}
