import type { Queryable } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import type { ColumnField } from '../list/field-paths.ts';
import type { ListQuery, Page } from '../list/paging.ts';
import { pageColumnTable } from '../list/column-page.ts';
import { UUID } from '../entity/uuid.ts';

/** When one of a credential's secrets was last presented, and from where. */
export interface SecretUse {
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** An API credential as the management API and the CLI show it: never a secret, nor its hash. */
export interface ManagedCredential {
  id: string;
  client_id: string;
  name: string;
  authorities: string[];
  apps: string[];
  allowed_ips: string[];
  /** Requests per rate-limit window; null: the tenant's limit. */
  rate_limit: number | null;
  is_active: boolean;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  secret: SecretUse & { create_date: string };
  /** The secret a rotation replaced, accepted until expires_at; null when there is none. */
  previous_secret: (SecretUse & { expires_at: string; is_accepted: boolean }) | null;
  /** Every token ever issued with the credential, and those still usable. */
  tokens_issued: number;
  active_tokens: number;
  create_date: string;
  update_date: string;
}

interface Row extends Pick<ManagedCredential, 'id' | 'client_id' | 'name' | 'authorities' | 'apps' | 'allowed_ips' | 'rate_limit' | 'is_active' | 'last_used_ip'> {
  tenant_id: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
  secret_create_date: Date;
  secret_last_used_at: Date | null;
  secret_last_used_ip: string | null;
  previous_secret_expires_at: Date | null;
  previous_secret_accepted: boolean;
  previous_secret_last_used_at: Date | null;
  previous_secret_last_used_ip: string | null;
  tokens_issued: string;
  active_tokens: string;
  create_date: Date;
  update_date: Date;
}

const SELECT = `SELECT c.tenant_id, c.id, c.client_id, c.name, c.authorities, c.apps, c.allowed_ips, c.rate_limit, c.is_active, c.revoked_at,
  c.last_used_at, c.last_used_ip, c.secret_create_date, c.secret_last_used_at, c.secret_last_used_ip,
  c.previous_secret_expires_at, coalesce(c.previous_secret_expires_at > now(), false) AS previous_secret_accepted,
  c.previous_secret_last_used_at, c.previous_secret_last_used_ip, c.tokens_issued,
  (SELECT count(*) FROM access_token t WHERE t.tenant_id = c.tenant_id AND t.credential_id = c.id
     AND t.revoked_at IS NULL AND t.expires_at > now() AND c.is_active) AS active_tokens,
  c.create_date, c.update_date
  FROM api_credential c`;

/** What filter and order_by may name. */
const COLUMNS: Record<string, ColumnField> = {
  id: { column: 'c.id', kind: 'uuid' },
  client_id: { column: 'c.client_id', kind: 'string' },
  name: { column: 'c.name', kind: 'string' },
  authorities: { column: "array_to_string(c.authorities, ',')", kind: 'string' },
  apps: { column: "array_to_string(c.apps, ',')", kind: 'string' },
  rate_limit: { column: 'c.rate_limit', kind: 'number' },
  is_active: { column: 'c.is_active', kind: 'boolean' },
  revoked_at: { column: 'c.revoked_at', kind: 'date-time' },
  last_used_at: { column: 'c.last_used_at', kind: 'date-time' },
  tokens_issued: { column: 'c.tokens_issued', kind: 'number' },
  create_date: { column: 'c.create_date', kind: 'date-time' },
  update_date: { column: 'c.update_date', kind: 'date-time' },
};

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function serialize(row: Row): ManagedCredential {
  return {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    authorities: row.authorities,
    apps: row.apps,
    allowed_ips: row.allowed_ips,
    rate_limit: row.rate_limit,
    is_active: row.is_active,
    revoked_at: iso(row.revoked_at),
    last_used_at: iso(row.last_used_at),
    last_used_ip: row.last_used_ip,
    secret: { create_date: iso(row.secret_create_date)!, last_used_at: iso(row.secret_last_used_at), last_used_ip: row.secret_last_used_ip },
    previous_secret:
      row.previous_secret_expires_at === null
        ? null
        : {
            expires_at: iso(row.previous_secret_expires_at)!,
            is_accepted: row.previous_secret_accepted,
            last_used_at: iso(row.previous_secret_last_used_at),
            last_used_ip: row.previous_secret_last_used_ip,
          },
    tokens_issued: Number(row.tokens_issued),
    active_tokens: Number(row.active_tokens),
    create_date: iso(row.create_date)!,
    update_date: iso(row.update_date)!,
  };
}

export function credentialNotFound(id: string): ApiError {
  return errors.notFound({ reason: `No API credential with id ${id}` });
}

/** The tenant's credential with this id; another tenant's is as absent as one that never existed. */
export async function getManagedCredential(db: Queryable, tenantId: string, id: string, lock = false): Promise<ManagedCredential> {
  if (!UUID.test(id)) throw credentialNotFound(id);
  const rows = await db.query<Row>(`${SELECT} WHERE c.tenant_id = $1 AND c.id = $2${lock ? ' FOR UPDATE OF c' : ''}`, [tenantId, id]);
  if (!rows[0]) throw credentialNotFound(id);
  return serialize(rows[0]);
}

/** The credential with this client id, whichever tenant holds it (the operator tool names credentials so). */
export async function findCredentialByClientId(db: Queryable, clientId: string): Promise<{ tenantId: string; credential: ManagedCredential } | undefined> {
  const rows = await db.query<Row>(`${SELECT} WHERE c.client_id = $1`, [clientId]);
  return rows[0] && { tenantId: rows[0].tenant_id, credential: serialize(rows[0]) };
}

export function listManagedCredentials(db: Queryable, tenantId: string, query: ListQuery): Promise<Page<ManagedCredential>> {
  return pageColumnTable(db, { select: SELECT, from: 'api_credential c', qualifier: 'c.', columns: COLUMNS }, tenantId, query, serialize);
}
