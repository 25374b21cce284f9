import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';
import { listQuerySchema } from '../list/paging.ts';
import { typedRoutes } from '../http/typed-routes.ts';
import { noContent } from '../http/typebox-schemas.ts';
import { errorResponses, pageSchema } from '../openapi/shared-schemas.ts';
import { isAdministrator } from '../acl/policy.ts';
import { actorOf } from '../audit/actor.ts';
import { AUTHORITIES } from './authorities.ts';
import type { AuthContext } from './tokens.ts';
import {
  ADMIN_FLAGS,
  changeAdminPassword,
  createAdminUser,
  deleteAdminUser,
  findAdminLogin,
  getAdminUser,
  listAdminUsers,
  updateAdminUser,
  type AdminUser,
  type AdminUserChanges,
} from './admin-users.ts';
import {
  adminClientCreateSchema,
  adminClientIdParams,
  adminClientSchema,
  adminClientUpdateSchema,
  clientCredentialsSchema,
} from './admin-schemas.ts';
import { checkPassword } from './password-policy.ts';
import { sameSecret, verifyNothing, verifySecret } from './passwords.ts';
import { throttledLogin } from './login-throttle.ts';

export interface AdminRoutesOptions {
  db: Database;
  maxPageSize: number;
}

const TAG = 'AdminClient';

function forbidden(message: string): ApiError {
  return errors.forbidden({ reason: message });
}

async function administratorsOnly(request: FastifyRequest): Promise<void> {
  if (!isAdministrator(request.auth.authorities)) throw forbidden('Only ROLE_SUPER_ADMIN and ROLE_ADMIN may manage admin users');
}

/** Hydrogen sends authorities as one string; each comma-separated role must be a known one. */
function parseAuthorities(value: string): string[] {
  const roles = [...new Set(value.split(',').map((role) => role.trim()))];
  const unknown = roles.filter((role) => !(AUTHORITIES as readonly string[]).includes(role));
  if (unknown.length > 0) {
    throw errors.invalidField({ field: 'authorities', problem: `unknown authority "${unknown[0]}"; expected a comma-separated list of ${AUTHORITIES.join(', ')}` });
  }
  return roles;
}

function changesOf(body: Static<typeof adminClientUpdateSchema>): AdminUserChanges {
  const changes: AdminUserChanges = {};
  if (body.username !== undefined) changes.username = body.username;
  if (body.password !== undefined) changes.password = body.password;
  if (body.authorities !== undefined) changes.authorities = parseAuthorities(body.authorities);
  for (const flag of ADMIN_FLAGS) if (flag !== 'is_2fa_verified' && body[flag] !== undefined) changes[flag] = body[flag];
  return changes;
}

/** An administrator may not make, or change, someone more powerful than itself. */
function guardSuperAdmin(auth: AuthContext, granting: string[] | undefined, target?: AdminUser): void {
  if (auth.authorities.includes('ROLE_SUPER_ADMIN')) return;
  if (granting?.includes('ROLE_SUPER_ADMIN') || target?.authorities.split(',').includes('ROLE_SUPER_ADMIN')) {
    throw forbidden('Only a ROLE_SUPER_ADMIN may grant ROLE_SUPER_ADMIN or change a user who holds it');
  }
}

function idOf(params: Static<typeof adminClientIdParams>): string {
  return String(params.client_id);
}

/**
 * /admin/v1: the tenant's login users (Hydrogen's AdminClient), who log in with the password
 * grant. Administrators manage them; anyone holding a token of the tenant may change a
 * password they know (client_credentials).
 */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, { db, maxPageSize }) => {
  const routes = typedRoutes(app);
  routes.get('/client', {
    config: { errors: [errors.invalidFilter, errors.invalidField] },
    onRequest: administratorsOnly,
    schema: {
      tags: [TAG],
      summary: 'List admin users',
      operationId: 'getAllAdminClientUsingGET',
      querystring: listQuerySchema(maxPageSize, 'username'),
      response: { 200: pageSchema(adminClientSchema, 'AdminClient'), ...errorResponses },
    },
    handler: async (request) => listAdminUsers(db, request.auth.tenantId, request.query),
  });

  routes.post('/client', {
    config: { idempotency: false, errors: [errors.duplicate, errors.weakPassword, errors.invalidField] },
    onRequest: administratorsOnly,
    schema: {
      tags: [TAG],
      summary: 'Create an admin user',
      operationId: 'createAdminClientUsingPOST',
      body: adminClientCreateSchema,
      response: { 201: adminClientSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const changes = changesOf(body);
      checkPassword('password', body.password, body.username);
      guardSuperAdmin(request.auth, changes.authorities);
      const created = await createAdminUser(
        db,
        request.auth.tenantId,
        { ...changes, username: body.username, password: body.password, authorities: changes.authorities ?? [] },
        actorOf(request),
      );
      return reply.code(201).send(created);
    },
  });

  routes.get('/client/:client_id', {
    config: { errors: [errors.notFound] },
    onRequest: administratorsOnly,
    schema: {
      tags: [TAG],
      summary: 'Retrieve an admin user',
      operationId: 'getAdminClientUsingGET',
      params: adminClientIdParams,
      response: { 200: adminClientSchema, ...errorResponses },
    },
    handler: async (request) => getAdminUser(db, request.auth.tenantId, idOf(request.params)),
  });

  routes.put('/client/:client_id', {
    config: { idempotency: false, errors: [errors.notFound, errors.duplicate, errors.weakPassword, errors.invalidField] },
    onRequest: administratorsOnly,
    schema: {
      tags: [TAG],
      summary: 'Update an admin user',
      description:
        'Changes only the fields sent. A new password, new authorities or a flag that bars logging in revokes the ' +
        "user's access tokens.",
      operationId: 'updateAdminClientUsingPUT',
      params: adminClientIdParams,
      body: adminClientUpdateSchema,
      response: { 200: adminClientSchema, ...errorResponses },
    },
    handler: async (request) => {
      const body = request.body;
      const id = idOf(request.params);
      const changes = changesOf(body);
      if (changes.password !== undefined) {
        const current = await getAdminUser(db, request.auth.tenantId, id);
        checkPassword('password', changes.password, changes.username ?? current.username);
      }
      return updateAdminUser(db, request.auth.tenantId, id, changes, actorOf(request), (current) => guardSuperAdmin(request.auth, changes.authorities, current));
    },
  });

  routes.delete('/client/:client_id', {
    config: { errors: [errors.notFound] },
    onRequest: administratorsOnly,
    schema: {
      tags: [TAG],
      summary: 'Delete an admin user',
      operationId: 'deleteAdminClientUsingDELETE',
      params: adminClientIdParams,
      response: { 204: noContent('Deleted'), ...errorResponses },
    },
    handler: async (request, reply) => {
      await deleteAdminUser(db, request.auth.tenantId, idOf(request.params), actorOf(request), (current) => guardSuperAdmin(request.auth, undefined, current));
      return reply.code(204).send();
    },
  });

  routes.post('/client_credentials', {
    config: { idempotency: false, errors: [errors.invalidCredentials, errors.weakPassword] },
    schema: {
      tags: [TAG],
      summary: "Change an admin user's password, given the current one",
      description:
        'Open to any token of the tenant: knowing the current password is the proof. A wrong username or ' +
        'current_password answers 400 invalid_credentials, whichever it was, and counts as a failed login. ' +
        "Revokes the user's access tokens.",
      operationId: 'updateClientCredentialsUsingPOST',
      body: clientCredentialsSchema,
      response: { 200: adminClientSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { username, current_password: current, new_password: next } = request.body;
      const { tenantId } = request.auth;
      // The policy first: it depends on nothing stored, so a refusal tells nothing about the user.
      checkPassword('new_password', next, username);
      if (sameSecret(next, current)) throw errors.invalidField({ field: 'new_password', problem: 'must differ from current_password' });
      const user = await throttledLogin(db, tenantId, username, current, async () => {
        const login = await findAdminLogin(db, tenantId, username);
        if (!login) return verifyNothing(current);
        return (await verifySecret(current, login.passwordHash)) && login;
      });
      if (!user) throw errors.invalidCredentials({});
      return changeAdminPassword(db, tenantId, user.id, next, actorOf(request));
    },
  });
};
