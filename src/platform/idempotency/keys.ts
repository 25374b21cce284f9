import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';

/** A key is only ever compared with the keys of the same tenant and caller. */
export interface KeyOwner {
  tenantId: string;
  /** The credential id, plus the user's client id for a user token. */
  caller: string;
  key: string;
}

/** What a key was first used for; reusing it for anything else is refused. */
export interface Fingerprint {
  method: string;
  path: string;
  bodyHash: string;
}

export interface StoredResponse {
  statusCode: number;
  contentType: string | null;
  body: string | null;
}

/** A claim held by one request; only its holder may store or release it. */
export interface Claim {
  owner: KeyOwner;
  claimId: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: Claim }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_progress' }
  | { kind: 'mismatch'; differs: string[] };

interface KeyRow {
  method: string;
  path: string;
  body_hash: string;
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
}

/**
 * A claim this old whose request never answered is taken to belong to a crashed process, so a
 * retry with the same request may take it over instead of getting 409 for the rest of the day.
 */
const STALE_CLAIM = "interval '5 minutes'";
const LIFETIME = "interval '24 hours'";

/**
 * Claims the key in one statement, so of any number of racing requests exactly one wins. An
 * expired row, or a stale claim of the very same request, is taken over in place.
 */
const CLAIM_SQL = `
  INSERT INTO idempotency_key AS k (tenant_id, caller, key, method, path, body_hash, claim_id, claimed_at, expires_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now() + ${LIFETIME})
  ON CONFLICT (tenant_id, caller, key) DO UPDATE SET
    method = excluded.method, path = excluded.path, body_hash = excluded.body_hash,
    claim_id = excluded.claim_id, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at,
    status_code = NULL, content_type = NULL, response_body = NULL
  WHERE k.expires_at <= now()
     OR (k.status_code IS NULL AND k.claimed_at < now() - ${STALE_CLAIM}
         AND k.method = excluded.method AND k.path = excluded.path AND k.body_hash = excluded.body_hash)
  RETURNING claim_id`;

// The row seen on conflict can vanish (its request failed with a 5xx) before it is read; claiming
// again then almost always succeeds, and a request that still loses gets 409 and may retry.
const CLAIM_ATTEMPTS = 3;

export async function claimKey(db: Queryable, owner: KeyOwner, fingerprint: Fingerprint): Promise<ClaimOutcome> {
  const id = [owner.tenantId, owner.caller, owner.key];
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const claimId = randomUUID();
    const claimed = await db.query(CLAIM_SQL, [...id, fingerprint.method, fingerprint.path, fingerprint.bodyHash, claimId]);
    if (claimed.length > 0) return { kind: 'claimed', claim: { owner, claimId } };
    const rows = await db.query<KeyRow>(
      `SELECT method, path, body_hash, status_code, content_type, response_body FROM idempotency_key
       WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND expires_at > now()`,
      id,
    );
    const row = rows[0];
    if (!row) continue;
    const differs = [
      row.method !== fingerprint.method ? 'method' : '',
      row.path !== fingerprint.path ? 'path' : '',
      row.body_hash !== fingerprint.bodyHash ? 'body' : '',
    ].filter(Boolean);
    if (differs.length > 0) return { kind: 'mismatch', differs };
    if (row.status_code === null) return { kind: 'in_progress' };
    return { kind: 'replay', response: { statusCode: row.status_code, contentType: row.content_type, body: row.response_body } };
  }
  return { kind: 'in_progress' };
}

export async function storeResponse(db: Queryable, claim: Claim, response: StoredResponse): Promise<void> {
  const { tenantId, caller, key } = claim.owner;
  await db.query(
    `UPDATE idempotency_key SET status_code = $5, content_type = $6, response_body = $7
     WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND claim_id = $4`,
    [tenantId, caller, key, claim.claimId, response.statusCode, response.contentType, response.body],
  );
}

/** Forgets the key, so the next request with it runs afresh. */
export async function releaseKey(db: Queryable, claim: Claim): Promise<void> {
  const { tenantId, caller, key } = claim.owner;
  await db.query('DELETE FROM idempotency_key WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND claim_id = $4', [
    tenantId,
    caller,
    key,
    claim.claimId,
  ]);
}

export async function deleteExpiredKeys(db: Queryable, tenantId: string): Promise<void> {
  await db.query('DELETE FROM idempotency_key WHERE tenant_id = $1 AND expires_at <= now()', [tenantId]);
}
