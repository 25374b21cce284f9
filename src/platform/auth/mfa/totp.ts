import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it by default: SHA-1, six digits, 30-second steps. */
const PERIOD = 30;
const DIGITS = 6;
/** One step either side forgives a phone clock a little off, or a code typed as it turned. */
const WINDOW = 1;
const ISSUER = 'Deuterium';

function totpOf(secret: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** A new shared secret (160 bits, RFC 4226's recommendation), in base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans, labelled "<tenant>:<username>". */
export function otpauthUri(secret: string, tenant: string, username: string): string {
  return totpOf(secret, `${tenant}:${username}`).toString();
}

/**
 * The time step `code` belongs to when it is valid now, else null. The caller keeps the last
 * step accepted and refuses any not later, so a code seen over a shoulder cannot be replayed.
 */
export function totpStep(secret: string, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, window: WINDOW });
  return delta === null ? null : totp.counter() + delta;
}

export const TOTP_SETTINGS = { algorithm: 'SHA1', digits: DIGITS, period: PERIOD } as const;
