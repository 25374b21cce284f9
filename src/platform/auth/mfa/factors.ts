import { randomInt } from 'node:crypto';
import type { Actor } from '../../audit/actor.ts';
import { recordAudit } from '../../audit/admin-audit.ts';
import type { Database, Queryable } from '../../db/database.ts';
import { ApiError } from '../../http/api-error.ts';
import { errors } from '../../http/errors.ts';
import type { Raindrop } from '../../../hydro/signatures.ts';
import { throttledLogin } from '../login-throttle.ts';
import { tokenCacheOf } from '../token-cache.ts';
import { revokeUserTokens } from '../tokens.ts';
import { issueRecoveryCodes, unusedRecoveryCodes } from './recovery-codes.ts';
import { newTotpSecret, otpauthUri, totpStep, TOTP_SETTINGS } from './totp.ts';

interface FactorRow {
  totp_secret: string | null;
  totp_pending_secret: string | null;
  hydro_id: string | null;
  hydro_pending_id: string | null;
  hydro_pending_message: string | null;
}

/** What GET /admin/v1/mfa answers: which factors are in force, never their secrets. */
export interface MfaStatus {
  is_2fa: boolean;
  is_2fa_verified: boolean;
  totp: boolean;
  raindrop: { hydro_id: string } | null;
  recovery_codes_left: number;
}

async function factors(db: Queryable, adminUserId: string): Promise<FactorRow | undefined> {
  const [row] = await db.query<FactorRow>(
    'SELECT totp_secret, totp_pending_secret, hydro_id, hydro_pending_id, hydro_pending_message FROM admin_mfa WHERE admin_user_id = $1',
    [adminUserId],
  );
  return row;
}

export async function hasConfirmedFactor(db: Queryable, adminUserId: string): Promise<boolean> {
  const row = await factors(db, adminUserId);
  return Boolean(row?.totp_secret || row?.hydro_id);
}

export async function mfaStatus(db: Queryable, tenantId: string, adminUserId: string): Promise<MfaStatus> {
  const [[user], row, left] = await Promise.all([
    db.query<{ is_2fa: boolean; is_2fa_verified: boolean }>('SELECT is_2fa, is_2fa_verified FROM admin_user WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      adminUserId,
    ]),
    factors(db, adminUserId),
    unusedRecoveryCodes(db, adminUserId),
  ]);
  return {
    is_2fa: user?.is_2fa ?? false,
    is_2fa_verified: user?.is_2fa_verified ?? false,
    totp: Boolean(row?.totp_secret),
    raindrop: row?.hydro_id ? { hydro_id: row.hydro_id } : null,
    recovery_codes_left: left,
  };
}

/**
 * Wrong codes count as failed logins of the user (login-throttle.ts): slower each time, then
 * locked for 15 minutes, whether they come through the token endpoint or an enrolment. The
 * key holds a NUL, which no username can, so it is never a username's count.
 */
export function throttledCode<T>(db: Queryable, tenantId: string, adminUserId: string, code: string, check: () => Promise<T | false>) {
  return throttledLogin(db, tenantId, `\u0000mfa ${adminUserId}`, code, check);
}

/** Accepts a TOTP code of the user's confirmed secret once: its time step must be later than the last accepted. */
export async function acceptTotp(db: Queryable, adminUserId: string, code: string): Promise<boolean> {
  const secret = (await factors(db, adminUserId))?.totp_secret;
  const step = secret ? totpStep(secret, code) : null;
  if (step === null) return false;
  const rows = await db.query(
    'UPDATE admin_mfa SET totp_last_step = $2 WHERE admin_user_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1',
    [adminUserId, step],
  );
  return rows.length > 0;
}

/** The confirmed HydroID of the user, or null. */
export async function enrolledHydroId(db: Queryable, adminUserId: string): Promise<string | null> {
  return (await factors(db, adminUserId))?.hydro_id ?? null;
}

export function sixDigitMessage(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

async function pendingRow(db: Queryable, tenantId: string, adminUserId: string): Promise<void> {
  await db.query('INSERT INTO admin_mfa (admin_user_id, tenant_id) VALUES ($1, $2) ON CONFLICT (admin_user_id) DO NOTHING', [adminUserId, tenantId]);
}

export async function startTotp(db: Queryable, tenantId: string, adminUserId: string) {
  const [names] = await db.query<{ username: string; tenant: string }>(
    'SELECT a.username, t.name AS tenant FROM admin_user a JOIN tenant t ON t.id = a.tenant_id WHERE a.tenant_id = $1 AND a.id = $2',
    [tenantId, adminUserId],
  );
  const secret = newTotpSecret();
  await pendingRow(db, tenantId, adminUserId);
  await db.query('UPDATE admin_mfa SET totp_pending_secret = $2, update_date = now() WHERE admin_user_id = $1', [adminUserId, secret]);
  return { secret, otpauth_uri: otpauthUri(secret, names.tenant, names.username), ...TOTP_SETTINGS };
}

/**
 * The factor is in force from here on: is_2fa is set (the user chose it), is_2fa_verified
 * records that a factor was proven, and a new set of recovery codes replaces any earlier one.
 */
async function confirmed(
  db: Database,
  tenantId: string,
  adminUserId: string,
  set: string,
  values: unknown[],
  actor: Actor,
  factor: { factor: 'totp' } | { factor: 'raindrop'; hydro_id: string },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query(`UPDATE admin_mfa SET ${set}, update_date = now() WHERE admin_user_id = $1`, [adminUserId, ...values]);
    await tx.query('UPDATE admin_user SET is_2fa = true, is_2fa_verified = true, update_date = now() WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      adminUserId,
    ]);
    const codes = await issueRecoveryCodes(tx, adminUserId);
    await recordAudit(tx, tenantId, actor, {
      action: 'mfa_enrolled',
      subject: { adminUserId },
      details: { ...factor, recovery_codes_issued: codes.length },
    });
    return codes;
  });
}

function noEnrolment(kind: string, start: string): ApiError {
  return errors.noPendingEnrolment({ reason: `No ${kind} enrolment was started; ${start} first` });
}

export async function confirmTotp(db: Database, tenantId: string, adminUserId: string, code: string, actor: Actor): Promise<string[]> {
  const pending = (await factors(db, adminUserId))?.totp_pending_secret;
  if (!pending) throw noEnrolment('TOTP', 'POST /admin/v1/mfa/totp');
  const step = await throttledCode(db, tenantId, adminUserId, code, async () => totpStep(pending, code) ?? false);
  if (step === false) throw errors.invalidCode({ reason: 'The code is not valid for the secret being enrolled (or too many wrong codes: wait 15 minutes)', field: 'otp' });
  return confirmed(db, tenantId, adminUserId, 'totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $2', [step], actor, {
    factor: 'totp',
  });
}

export async function startRaindrop(db: Queryable, raindrop: Raindrop, tenantId: string, adminUserId: string, hydroId: string) {
  const address = await raindrop.addressOf(hydroId);
  if (!address) throw errors.hydroIdNotRegistered({ reason: `HydroID ${hydroId} is not registered on the chain`, field: 'hydro_id' });
  const message = sixDigitMessage();
  await pendingRow(db, tenantId, adminUserId);
  await db.query('UPDATE admin_mfa SET hydro_pending_id = $2, hydro_pending_message = $3, update_date = now() WHERE admin_user_id = $1', [
    adminUserId,
    hydroId,
    message,
  ]);
  return { hydro_id: hydroId, address, message };
}

export async function confirmRaindrop(
  db: Database,
  raindrop: Raindrop,
  tenantId: string,
  adminUserId: string,
  actor: Actor,
): Promise<{ hydroId: string; recoveryCodes: string[] }> {
  const row = await factors(db, adminUserId);
  if (!row?.hydro_pending_id || !row.hydro_pending_message) throw noEnrolment('Raindrop', 'POST /admin/v1/mfa/raindrop');
  const hydroId = row.hydro_pending_id;
  const check = await raindrop.verify(tenantId, hydroId, row.hydro_pending_message);
  if (!check.authenticated) throw errors.raindropNotVerified({ reason: `HydroID ${hydroId} did not sign the message: ${check.message} (${check.code})` });
  const recoveryCodes = await confirmed(db, tenantId, adminUserId, 'hydro_id = hydro_pending_id, hydro_pending_id = NULL, hydro_pending_message = NULL', [], actor, {
    factor: 'raindrop',
    hydro_id: hydroId,
  });
  return { hydroId, recoveryCodes };
}

/**
 * A super-admin's reset for a user who lost its factors: they and the recovery codes are
 * gone, the user's tokens and pending sign-ins end, and is_2fa stays as it was, so a user
 * who must use a second factor enrols a new one at its next sign-in.
 */
export async function resetMfa(db: Database, tenantId: string, adminUserId: string, actor: Actor): Promise<void> {
  const tokens = tokenCacheOf(db);
  await db.transaction(async (tx) => {
    const [removed] = await tx.query<{ totp: boolean; hydro_id: string | null }>(
      'DELETE FROM admin_mfa WHERE admin_user_id = $1 RETURNING totp_secret IS NOT NULL AS totp, hydro_id',
      [adminUserId],
    );
    const codes = await tx.query<{ unused: boolean }>('DELETE FROM admin_recovery_code WHERE admin_user_id = $1 RETURNING used_at IS NULL AS unused', [
      adminUserId,
    ]);
    await tx.query('UPDATE admin_user SET is_2fa_verified = false, update_date = now() WHERE tenant_id = $1 AND id = $2', [tenantId, adminUserId]);
    await revokeUserTokens(tx, tokens, tenantId, { adminUserId });
    await recordAudit(tx, tenantId, actor, {
      action: 'mfa_reset',
      subject: { adminUserId },
      details: {
        factors_removed: [...(removed?.totp ? ['totp'] : []), ...(removed?.hydro_id ? ['raindrop'] : [])],
        ...(removed?.hydro_id ? { hydro_id: removed.hydro_id } : {}),
        unused_recovery_codes_removed: codes.filter((code) => code.unused).length,
      },
    });
  });
}
