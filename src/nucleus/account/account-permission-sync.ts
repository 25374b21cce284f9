import type { EntityStore, StoredRecord } from '../../platform/entity/store.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { EntityWriter, WriteEvent, WriteHook, WriteOrigin } from '../../platform/entity/writer.ts';
import { system } from '../../platform/entity/system-origin.ts';
import { FieldExpressions } from '../../platform/read/fields.ts';

export type PermissionType = 'INQUIRY_ACCESS' | 'LIMITED_AUTHORITY' | 'FULL_AUTHORITY' | 'POWER_OF_ATTORNEY';

interface Grant {
  client_id: string;
  permission_type: PermissionType;
}

/** The association types, as normalized below, that imply more than read access. */
export const GRANTING_ASSOCIATIONS: Record<Exclude<PermissionType, 'INQUIRY_ACCESS'>, string[]> = {
  FULL_AUTHORITY: ['owner', 'joint', 'joint_owner', 'primary', 'individual', 'custodian'],
  POWER_OF_ATTORNEY: ['power_of_attorney', 'poa', 'trustee', 'guardian'],
  LIMITED_AUTHORITY: ['authorized_user', 'authorized_signer', 'authorised_user', 'authorised_signer', 'beneficiary'],
};

/**
 * What naming a client on an account implies. Unknown association types get read access
 * only: a typo must never grant authority over someone's money.
 */
export function impliedPermission(associationType: string): PermissionType {
  const type = associationType.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const granted = Object.entries(GRANTING_ASSOCIATIONS).find(([, types]) => types.includes(type));
  return granted ? (granted[0] as PermissionType) : 'INQUIRY_ACCESS';
}

function namedClients(record: StoredRecord | undefined): { client_id: string; client_account_association_type: string }[] {
  const clients = record?.clients;
  return Array.isArray(clients) ? (clients as { client_id: string; client_account_association_type: string }[]) : [];
}

/**
 * Keeps an account's permission list in step with the clients named on the account, in the
 * account write's own transaction. Grants given directly through account_permission to
 * clients not named on the account are left alone.
 */
export function accountPermissionSync(writer: EntityWriter): WriteHook {
  const permissions = writer.store('account_permission');
  return (event, write) => {
    // An imported account's permission list is imported too, as its source kept it.
    if (event.declaration.name !== 'account' || event.action === 'delete' || event.origin.import) return;
    // It reads the permissions it merges into, so it runs once the account is written.
    write.afterwards((tx) => syncPermissions(tx, writer, permissions, event));
  };
}

/**
 * The list's change is the server's, following from the account's: written through the writer
 * as a system write on behalf of the account's writer, so the audit log shows it and why.
 */
function listOrigin(event: WriteEvent): WriteOrigin {
  const { origin } = event;
  const onBehalfOf = { tenantId: origin.auth.tenantId, credentialId: origin.auth.credentialId, requestId: origin.requestId, method: origin.method, url: origin.url };
  return system(`the permission list follows the clients named on account ${event.record.id}`, onBehalfOf);
}

async function syncPermissions(tx: Queryable, writer: EntityWriter, permissions: EntityStore, event: WriteEvent): Promise<void> {
  const named = namedClients(event.record);
  const previouslyNamed = new Set(namedClients(event.previous).map((c) => c.client_id));
  const permission = new FieldExpressions('account_permission', permissions.schemas.record, 'p');
  const rows = await tx.query<{ id: string; doc: { clients?: Grant[] } }>(
    `SELECT p.id, p.doc FROM ${permissions.table} p WHERE p.tenant_id = $1 AND ${permission.text('account_id')} = $2 FOR UPDATE`,
    [event.origin.auth.tenantId, event.record.id],
  );
  const nowNamed = new Set(named.map((c) => c.client_id));
  const kept = (rows[0]?.doc.clients ?? []).filter((g) => !nowNamed.has(g.client_id) && !previouslyNamed.has(g.client_id));
  const grants: Grant[] = [
    ...kept,
    ...named.map((c) => ({ client_id: c.client_id, permission_type: impliedPermission(c.client_account_association_type) })),
  ];
  // Nothing to write, and nothing to audit, when the account's change left its clients as they were.
  if (rows[0] ? JSON.stringify(rows[0].doc.clients ?? []) === JSON.stringify(grants) : grants.length === 0) return;
  await writer.writeWithin(tx, listOrigin(event), (write) =>
    rows[0] ? write.update('account_permission', rows[0].id, { clients: grants }) : write.create('account_permission', { account_id: event.record.id, clients: grants }),
  );
}
