import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { errors } from '../http/errors.ts';
import { pageColumnTable, type ColumnTable } from '../list/column-page.ts';
import type { ListQuery, Page } from '../list/paging.ts';
import type { Actor } from './actor.ts';

/** Every management action of a tenant: what its credentials, admin users, second factors and the tenant itself went through. */
export const AUDIT_ACTIONS = [
  'credential_created',
  'credential_updated',
  'credential_allowlist_changed',
  'credential_rotated',
  'credential_revoked',
  'credential_deleted',
  'admin_user_created',
  'admin_user_updated',
  'admin_user_password_changed',
  'admin_user_deleted',
  'mfa_enrolled',
  'mfa_recovery_code_used',
  'mfa_reset',
  'tenant_created',
  'tenant_environment_changed',
  'tenant_rate_limit_changed',
  'tenant_reset',
  'tenant_imported',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a record is about; none for the tenant itself. */
export type AuditSubject = { credentialId: string; credentialClientId: string } | { adminUserId: string };

export interface AuditEntry {
  action: AuditAction;
  subject?: AuditSubject;
  /** What changed; the callers put in names, lists, counts and times, never a secret, a code or a hash. */
  details: Record<string, unknown>;
}

export interface AuditRecord {
  id: string;
  action: AuditAction;
  credential_id: string | null;
  credential_client_id: string | null;
  admin_user_id: string | null;
  actor: Actor;
  details: Record<string, unknown>;
  create_date: string;
}

/** Adds one record; inside the change's own transaction, so a change is never left unrecorded. */
export async function recordAudit(tx: Queryable, tenantId: string, actor: Actor, entry: AuditEntry): Promise<void> {
  const { subject } = entry;
  const credential = subject && 'credentialId' in subject ? subject : undefined;
  const adminUserId = subject && 'adminUserId' in subject ? subject.adminUserId : null;
  await tx.query(
    // The clock, not the transaction's start: records of one transaction (a tenant and its first
    // credential) list in the order they were made.
    `INSERT INTO admin_audit (tenant_id, id, action, credential_id, credential_client_id, admin_user_id, actor, details, create_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())`,
    [
      tenantId,
      randomUUID(),
      entry.action,
      credential?.credentialId ?? null,
      credential?.credentialClientId ?? null,
      adminUserId,
      JSON.stringify(actor),
      JSON.stringify(entry.details),
    ],
  );
}

export interface AuditFilters {
  action?: string;
  credential_id?: string;
  admin_user_id?: string;
  /** Inclusive lower and exclusive upper bound of create_date. */
  from?: string;
  to?: string;
}

const AUDIT_TABLE: ColumnTable = {
  select: 'SELECT id, action, credential_id, credential_client_id, admin_user_id, actor, details, create_date FROM admin_audit',
  from: 'admin_audit',
  qualifier: '',
  columns: {
    id: { column: 'id', kind: 'uuid' },
    action: { column: 'action', kind: 'string' },
    credential_id: { column: 'credential_id', kind: 'uuid' },
    credential_client_id: { column: 'credential_client_id', kind: 'string' },
    admin_user_id: { column: 'admin_user_id', kind: 'string' },
    create_date: { column: 'create_date', kind: 'date-time' },
  },
};

interface Row extends Omit<AuditRecord, 'create_date'> {
  create_date: Date | string;
}

function serialize(row: Row): AuditRecord {
  return { ...row, create_date: new Date(row.create_date).toISOString() };
}

/** The tenant's audit records, newest first unless asked otherwise, narrowed by the filters given. */
export async function listAudit(db: Queryable, tenantId: string, query: ListQuery & AuditFilters): Promise<Page<AuditRecord>> {
  if (query.from !== undefined && query.to !== undefined && Date.parse(query.from) >= Date.parse(query.to)) {
    throw errors.invalidField({ field: 'to', problem: 'must be later than from' });
  }
  return pageColumnTable(db, AUDIT_TABLE, tenantId, query, serialize, (params) => {
    const conditions: string[] = [];
    if (query.action !== undefined) conditions.push(`action = ${params.add(query.action)}`);
    if (query.credential_id !== undefined) conditions.push(`credential_id = ${params.add(query.credential_id)}::uuid`);
    if (query.admin_user_id !== undefined) conditions.push(`admin_user_id = ${params.add(query.admin_user_id)}`);
    if (query.from !== undefined) conditions.push(`create_date >= ${params.add(query.from)}::timestamptz`);
    if (query.to !== undefined) conditions.push(`create_date < ${params.add(query.to)}::timestamptz`);
    return conditions;
  });
}
