import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Database } from '../../platform/db/database.ts';
import type { AccessControl } from '../../platform/acl/access-control.ts';
import type { EntityWriter } from '../../platform/entity/writer.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import { originOf } from '../../platform/entity/routes.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses } from '../../platform/openapi/shared-schemas.ts';
import { typedRoutes } from '../../platform/http/typed-routes.ts';
import { SqlParams } from '../../platform/list/filter.ts';
import { FieldExpressions } from '../../platform/read/fields.ts';

const PermissionType = Type.Union([
  Type.Literal('INQUIRY_ACCESS'),
  Type.Literal('LIMITED_AUTHORITY'),
  Type.Literal('FULL_AUTHORITY'),
  Type.Literal('POWER_OF_ATTORNEY'),
]);

const Grant = Type.Object({ client_id: Type.String({ format: 'uuid' }), permission_type: PermissionType }, { additionalProperties: false });

const AccountPermission = Type.Object(
  { account_id: Type.String({ format: 'uuid' }), clients: Type.Array(Grant) },
  { title: 'AccountPermissionVO' },
);

const ClientGrant = Type.Object(
  { account_id: Type.String({ format: 'uuid' }), client_id: Type.String({ format: 'uuid' }), permission_type: PermissionType },
  { additionalProperties: false, title: 'AclClientPermissionVO' },
);

/**
 * PUT takes one client's grant, as Hydrogen's clients send it, or the whole list; either may
 * repeat the account id of the path, since Hydrogen's body type carries it.
 */
const PathAccount = Type.Optional(Type.String({ format: 'uuid', description: 'Must match the path when sent' }));
const PermissionChange = Type.Union([
  Type.Object(
    { account_id: PathAccount, client_id: Type.String({ format: 'uuid' }), permission_type: PermissionType },
    { additionalProperties: false },
  ),
  Type.Object({ account_id: PathAccount, clients: Type.Array(Grant) }, { additionalProperties: false }),
]);

const AccountParams = Type.Object({ account_id: Type.String({ format: 'uuid' }) });

type GrantT = Static<typeof Grant>;

function view(record: StoredRecord | undefined, accountId: string) {
  return { account_id: accountId, clients: (record?.clients as GrantT[] | undefined) ?? [] };
}

function withGrant(grants: GrantT[], { client_id, permission_type }: GrantT): GrantT[] {
  return [...grants.filter((g) => g.client_id !== client_id), { client_id, permission_type }];
}

/**
 * The account permission endpoints, addressed by account id: one permission list per account,
 * changed one client at a time or as a whole. Every change goes through the entity writer, so
 * access rules, audit and webhooks apply as to any write.
 */
export const accountPermissionRoutes: FastifyPluginAsync<{ db: Database; acl: AccessControl; writer: EntityWriter }> = async (
  fastify,
  { db, acl, writer },
) => {
  const app = typedRoutes(fastify);
  const store = writer.store('account_permission');
  const accounts = writer.store('account');
  const permission = new FieldExpressions('account_permission', store.schemas.record, 'p');

  async function current(request: FastifyRequest, accountId: string): Promise<StoredRecord | undefined> {
    await accounts.get(db, request.auth.tenantId, accountId, acl.readScope(request.auth, 'account'));
    const scope = acl.readScope(request.auth, 'account_permission');
    const params = new SqlParams([request.auth.tenantId, accountId]);
    const visible = scope ? ` AND ${scope(params, 'p')}` : '';
    const rows = await db.query<{ id: string }>(
      `SELECT p.id FROM ${store.table} p WHERE p.tenant_id = $1 AND ${permission.text('account_id')} = $2${visible}`,
      params.values,
    );
    return rows[0] ? store.get(db, request.auth.tenantId, rows[0].id) : undefined;
  }

  async function save(request: FastifyRequest, accountId: string, existing: StoredRecord | undefined, clients: GrantT[]) {
    const origin = originOf(request);
    const saved = existing
      ? await writer.update('account_permission', existing.id, { clients }, origin)
      : await writer.create('account_permission', { account_id: accountId, clients }, origin);
    return view(saved, accountId);
  }

  const tags = ['Account'];
  const response = { 200: AccountPermission, ...errorResponses };

  app.post('/account_permission', {
    schema: { tags, summary: "Grant one client a permission on an account", operationId: 'create_account_permission', body: ClientGrant, response },
    handler: async (request) => {
      const body = request.body;
      const existing = await current(request, body.account_id);
      return save(request, body.account_id, existing, withGrant(view(existing, body.account_id).clients, body));
    },
  });

  app.get('/account_permission/:account_id', {
    schema: { tags, summary: "An account's permissions", operationId: 'get_account_permission', params: AccountParams, response },
    handler: async (request) => {
      const { account_id } = request.params;
      return view(await current(request, account_id), account_id);
    },
  });

  app.put('/account_permission/:account_id', {
    schema: {
      tags,
      summary: "Change one client's permission on an account, or replace them all",
      operationId: 'update_account_permission',
      params: AccountParams,
      body: PermissionChange,
      response,
    },
    handler: async (request) => {
      const { account_id } = request.params;
      const existing = await current(request, account_id);
      const body = request.body;
      if (body.account_id !== undefined && body.account_id !== account_id) {
        throw errors.invalidField({ field: 'account_id', problem: 'differs from the account in the path' });
      }
      const clients = 'clients' in body ? body.clients : withGrant(view(existing, account_id).clients, body);
      return save(request, account_id, existing, clients);
    },
  });

  app.delete('/account_permission/:account_id', {
    schema: {
      tags,
      summary: "Remove one client's permission (client_id given) or all permissions on an account",
      operationId: 'delete_account_permission',
      params: AccountParams,
      querystring: Type.Object({ client_id: Type.Optional(Type.String({ format: 'uuid' })) }),
      response,
    },
    handler: async (request) => {
      const { account_id } = request.params;
      const { client_id } = request.query;
      const existing = await current(request, account_id);
      if (!existing) throw errors.notFound({ reason: `Account ${account_id} has no permissions` });
      const remaining = client_id ? view(existing, account_id).clients.filter((g) => g.client_id !== client_id) : [];
      return save(request, account_id, existing, remaining);
    },
  });
};
