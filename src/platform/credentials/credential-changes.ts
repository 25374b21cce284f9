import { onCommit, type Database, type Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { validateAuthorities } from '../auth/authorities.ts';
import { createCredential, randomSecret } from '../auth/credentials.ts';
import { hashSecret } from '../auth/passwords.ts';
import { tokenCacheOf, type TokenCache } from '../auth/token-cache.ts';
import type { Actor } from '../audit/actor.ts';
import { recordAudit } from '../audit/admin-audit.ts';
import { validateAllowlist } from './allowlist.ts';
import { validateApps } from './apps.ts';
import { getManagedCredential, type ManagedCredential } from './credential-view.ts';

/** How long a rotated-out secret keeps working unless the caller says otherwise. */
export const DEFAULT_GRACE_SECONDS = 24 * 60 * 60;
/** Long enough for any deployment to roll out a new secret; an old one must not live on forever. */
export const MAX_GRACE_SECONDS = 30 * 24 * 60 * 60;

/** A credential as created or rotated: the only moment its secret exists in clear text. */
export type CredentialWithSecret = ManagedCredential & { client_secret: string };

/** Refuses a change (by throwing) after seeing the credential as stored. */
export type Guard = (current: ManagedCredential) => void;

export interface NewCredential {
  name: string;
  authorities: string[];
  apps?: string[];
  allowedIps?: string[];
  /** Requests per rate-limit window; null or absent: the tenant's limit. */
  rateLimit?: number | null;
  /** The operator tool's choices; the API always generates both. */
  clientId?: string;
  clientSecret?: string;
}

export interface CredentialChanges {
  name?: string;
  authorities?: string[];
  apps?: string[];
  allowedIps?: string[];
  /** null returns the credential to its tenant's limit. */
  rateLimit?: number | null;
}

function validateGrace(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_GRACE_SECONDS) {
    throw errors.invalidField({ field: 'grace_period_seconds', problem: `must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}` });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Makes the tokens a change ended, or whose credential's rules changed, unknown to this
 * process at once and again once committed: a request on another connection may have read
 * and cached one between the write and the commit. Other processes re-read within the
 * token cache's bound (token-cache.ts).
 */
function forgetTokens(tx: Queryable, tokens: TokenCache): void {
  tokens.invalidate();
  onCommit(tx, () => tokens.invalidate());
}

export async function createManagedCredential(db: Database, tenantId: string, input: NewCredential, actor: Actor): Promise<CredentialWithSecret> {
  const request = {
    name: input.name,
    authorities: validateAuthorities('authorities', input.authorities),
    apps: input.apps === undefined ? undefined : validateApps('apps', input.apps),
    allowedIps: input.allowedIps === undefined ? undefined : validateAllowlist('allowed_ips', input.allowedIps),
    clientId: input.clientId,
    clientSecret: input.clientSecret,
  };
  return db.transaction(async (tx) => {
    const created = await createCredential(tx, tenantId, request);
    if (input.rateLimit != null) {
      await tx.query('UPDATE api_credential SET rate_limit = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, created.id, input.rateLimit]);
    }
    const credential = await getManagedCredential(tx, tenantId, created.id);
    await recordAudit(tx, tenantId, actor, {
      action: 'credential_created',
      subject: { credentialId: credential.id, credentialClientId: credential.client_id },
      details: {
        name: credential.name,
        authorities: credential.authorities,
        apps: credential.apps,
        allowed_ips: credential.allowed_ips,
        rate_limit: credential.rate_limit,
      },
    });
    return { ...credential, client_secret: created.client_secret };
  });
}

/**
 * Applies the fields given. New authorities end the tokens issued to the credential itself
 * (client_credentials), which carry the authorities they were issued with; tokens of users who
 * logged in through it carry their own. Apps and the allowlist are read with every token, so
 * they need no revocation.
 */
export async function updateManagedCredential(
  db: Database,
  tenantId: string,
  id: string,
  input: CredentialChanges,
  actor: Actor,
  allow: Guard = () => {},
): Promise<ManagedCredential> {
  const next = {
    name: input.name,
    authorities: input.authorities === undefined ? undefined : validateAuthorities('authorities', input.authorities),
    apps: input.apps === undefined ? undefined : validateApps('apps', input.apps),
    allowed_ips: input.allowedIps === undefined ? undefined : validateAllowlist('allowed_ips', input.allowedIps),
  };
  const tokens = tokenCacheOf(db);
  return db.transaction(async (tx) => {
    const current = await getManagedCredential(tx, tenantId, id, true);
    allow(current);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (next.name !== undefined && next.name !== current.name) changed.name = { from: current.name, to: next.name };
    if (input.rateLimit !== undefined && input.rateLimit !== current.rate_limit) changed.rate_limit = { from: current.rate_limit, to: input.rateLimit };
    for (const field of ['authorities', 'apps'] as const) {
      const value = next[field];
      if (value !== undefined && !sameList(value, current[field])) changed[field] = { from: current[field], to: value };
    }
    const allowlistChanged = next.allowed_ips !== undefined && !sameList(next.allowed_ips, current.allowed_ips);
    if (Object.keys(changed).length === 0 && !allowlistChanged) return current;

    await tx.query(
      `UPDATE api_credential SET name = coalesce($3, name), authorities = coalesce($4, authorities), apps = coalesce($5, apps),
         allowed_ips = coalesce($6, allowed_ips), rate_limit = CASE WHEN $7 THEN $8::integer ELSE rate_limit END, update_date = now()
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, next.name ?? null, next.authorities ?? null, next.apps ?? null, next.allowed_ips ?? null, input.rateLimit !== undefined, input.rateLimit ?? null],
    );
    if (changed.authorities) {
      await tx.query(
        `UPDATE access_token SET revoked_at = now()
         WHERE tenant_id = $1 AND credential_id = $2 AND nucleus_client_id IS NULL AND admin_user_id IS NULL AND revoked_at IS NULL`,
        [tenantId, id],
      );
    }
    const subject = { credentialId: id, credentialClientId: current.client_id };
    if (Object.keys(changed).length > 0) await recordAudit(tx, tenantId, actor, { subject, action: 'credential_updated', details: { changes: changed } });
    if (allowlistChanged) {
      await recordAudit(tx, tenantId, actor, {
        subject,
        action: 'credential_allowlist_changed',
        details: { from: current.allowed_ips, to: next.allowed_ips },
      });
    }
    forgetTokens(tx, tokens);
    return getManagedCredential(tx, tenantId, id);
  });
}

/**
 * Gives the credential a new secret. The one it replaces stays accepted for
 * `graceSeconds` (none when 0), so callers can move over without an outage; a rotation during
 * another's grace period ends that older secret at once, since only two are kept. Tokens
 * already issued keep working: revoking is what ends them.
 */
export async function rotateCredentialSecret(
  db: Database,
  tenantId: string,
  id: string,
  graceSeconds: number,
  actor: Actor,
  allow: Guard = () => {},
): Promise<CredentialWithSecret> {
  validateGrace(graceSeconds);
  const secret = randomSecret();
  const hash = await hashSecret(secret);
  return db.transaction(async (tx) => {
    const current = await getManagedCredential(tx, tenantId, id, true);
    allow(current);
    if (current.revoked_at !== null) throw errors.credentialRevoked({ reason: `API credential ${id} is revoked; create a new one instead` });
    await tx.query(
      `UPDATE api_credential SET
         previous_secret_hash = CASE WHEN $4 > 0 THEN secret_hash END,
         previous_secret_expires_at = now() + make_interval(secs => $4),
         previous_secret_last_used_at = secret_last_used_at,
         previous_secret_last_used_ip = secret_last_used_ip,
         secret_hash = $3, secret_create_date = now(), secret_last_used_at = NULL, secret_last_used_ip = NULL,
         update_date = now()
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, hash, graceSeconds],
    );
    const rotated = await getManagedCredential(tx, tenantId, id);
    await recordAudit(tx, tenantId, actor, {
      action: 'credential_rotated',
      subject: { credentialId: id, credentialClientId: current.client_id },
      details: { grace_period_seconds: graceSeconds, previous_secret_expires_at: rotated.previous_secret?.expires_at },
    });
    return { ...rotated, client_secret: secret };
  });
}

/**
 * Ends the credential and every token issued with it, for good. Revoking a revoked credential
 * changes nothing and records nothing.
 */
export async function revokeCredential(db: Database, tenantId: string, id: string, actor: Actor, allow: Guard = () => {}): Promise<ManagedCredential> {
  const tokens = tokenCacheOf(db);
  return db.transaction(async (tx) => {
    const current = await getManagedCredential(tx, tenantId, id, true);
    allow(current);
    if (current.revoked_at !== null) return current;
    await tx.query(
      `UPDATE api_credential SET is_active = false, revoked_at = now(), previous_secret_hash = NULL, update_date = now()
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    const ended = await tx.query<{ count: string }>(
      `WITH ended AS (
         UPDATE access_token SET revoked_at = now()
         WHERE tenant_id = $1 AND credential_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING 1)
       SELECT count(*) AS count FROM ended`,
      [tenantId, id],
    );
    await recordAudit(tx, tenantId, actor, {
      action: 'credential_revoked',
      subject: { credentialId: id, credentialClientId: current.client_id },
      details: { tokens_revoked: Number(ended[0].count) },
    });
    forgetTokens(tx, tokens);
    return getManagedCredential(tx, tenantId, id);
  });
}

/** Removes the credential and its tokens; the audit trail keeps its client id and name. */
export async function deleteManagedCredential(db: Database, tenantId: string, id: string, actor: Actor, allow: Guard = () => {}): Promise<void> {
  const tokens = tokenCacheOf(db);
  await db.transaction(async (tx) => {
    const current = await getManagedCredential(tx, tenantId, id, true);
    allow(current);
    await tx.query('DELETE FROM access_token WHERE tenant_id = $1 AND credential_id = $2', [tenantId, id]);
    await tx.query('DELETE FROM api_credential WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    await recordAudit(tx, tenantId, actor, {
      action: 'credential_deleted',
      subject: { credentialId: id, credentialClientId: current.client_id },
      details: { name: current.name, authorities: current.authorities },
    });
    forgetTokens(tx, tokens);
  });
}
