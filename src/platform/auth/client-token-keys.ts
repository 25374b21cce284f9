import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { Queryable } from '../db/database.ts';

/**
 * How a tenant's back end signs client tokens for one API credential: a shared HS256 secret,
 * or a key pair whose public half (PEM) is registered here.
 */
export type ClientTokenKey = { kind: 'hs256'; key: string } | { kind: 'public_key'; key: string };

/** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
export const MIN_HS256_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

const EC_ALGORITHMS: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** A key ready for verification, with the only algorithms it accepts: a token cannot pick its own. */
export interface VerificationKey {
  key: KeyObject;
  algorithms: string[];
}

function publicKeyAlgorithms(key: KeyObject): string[] {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) throw new Error(`an RSA key must have at least ${MIN_RSA_BITS} bits`);
      return key.asymmetricKeyType === 'rsa' ? ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] : ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const algorithm = EC_ALGORITHMS[details.namedCurve ?? ''];
      if (!algorithm) throw new Error(`EC curve ${details.namedCurve} is not supported; use P-256, P-384 or P-521`);
      return [algorithm];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new Error(`${key.asymmetricKeyType} keys are not supported; use RSA, EC (P-256, P-384, P-521) or Ed25519`);
  }
}

/** Checks an HS256 secret as the operator gives it. */
export function hs256Key(secret: string): ClientTokenKey {
  if (Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES) {
    throw new Error(`an HS256 secret must be at least ${MIN_HS256_SECRET_BYTES} bytes long`);
  }
  return { kind: 'hs256', key: secret };
}

/** Checks a PEM public key (or certificate) and keeps it in one canonical form. */
export function publicKey(pem: string): ClientTokenKey {
  // createPublicKey would happily derive the public half of a private key, which would then sit in our database.
  if (/PRIVATE KEY-----/.test(pem)) throw new Error('this is a private key; register the public key only');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error('not a PEM public key or certificate');
  }
  publicKeyAlgorithms(key);
  return { kind: 'public_key', key: key.export({ type: 'spki', format: 'pem' }).toString() };
}

export function verificationKey(stored: ClientTokenKey): VerificationKey {
  if (stored.kind === 'hs256') return { key: createSecretKey(Buffer.from(stored.key)), algorithms: ['HS256'] };
  const key = createPublicKey(stored.key);
  return { key, algorithms: publicKeyAlgorithms(key) };
}

export interface KeyedCredential {
  client_id: string;
  tenant_id: string;
  kind: ClientTokenKey['kind'];
}

/** Registers (or replaces) the key of the credential with this client id; undefined when there is none. */
export async function setClientTokenKey(db: Queryable, clientId: string, key: ClientTokenKey): Promise<KeyedCredential | undefined> {
  const rows = await db.query<KeyedCredential>(
    `INSERT INTO client_token_key (tenant_id, credential_id, kind, key)
     SELECT tenant_id, id, $2, $3 FROM api_credential WHERE client_id = $1
     ON CONFLICT (tenant_id, credential_id) DO UPDATE SET kind = EXCLUDED.kind, key = EXCLUDED.key, update_date = now()
     RETURNING $1::text AS client_id, tenant_id, kind`,
    [clientId, key.kind, key.key],
  );
  return rows[0];
}

export async function findClientTokenKey(db: Queryable, tenantId: string, credentialId: string): Promise<ClientTokenKey | undefined> {
  const rows = await db.query<ClientTokenKey>(
    'SELECT kind, key FROM client_token_key WHERE tenant_id = $1 AND credential_id = $2',
    [tenantId, credentialId],
  );
  return rows[0];
}
