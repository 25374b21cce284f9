import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.ts';

const COUNT = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Sixteen base32 characters (80 bits) in groups of four: easy to copy, and beyond search when hashed. */
function newCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => BASE32[byte & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** Dashes, spaces and case are forgiven: the code is what its 16 characters say. */
function hashOf(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');
}

/** Replaces the user's recovery codes with a new set, returned once in clear text. */
export async function issueRecoveryCodes(tx: Queryable, adminUserId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, newCode);
  await tx.query('DELETE FROM admin_recovery_code WHERE admin_user_id = $1', [adminUserId]);
  await tx.query('INSERT INTO admin_recovery_code (admin_user_id, code_sha256) SELECT $1, unnest($2::text[])', [adminUserId, codes.map(hashOf)]);
  return codes;
}

/** Marks the code used if it is one of the user's unused codes; true when it was. */
export async function spendRecoveryCode(db: Queryable, adminUserId: string, code: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE admin_recovery_code SET used_at = now() WHERE admin_user_id = $1 AND code_sha256 = $2 AND used_at IS NULL RETURNING 1',
    [adminUserId, hashOf(code)],
  );
  return rows.length > 0;
}

export async function unusedRecoveryCodes(db: Queryable, adminUserId: string): Promise<number> {
  const rows = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM admin_recovery_code WHERE admin_user_id = $1 AND used_at IS NULL', [adminUserId]);
  return Number(rows[0].n);
}
