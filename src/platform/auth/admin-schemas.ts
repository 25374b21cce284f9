import { ADMIN_FLAGS } from './admin-users.ts';

const flags = Object.fromEntries(ADMIN_FLAGS.map((flag) => [flag, { type: 'boolean' }]));

const AUTHORITIES_DESCRIPTION = 'Comma-separated roles, e.g. "ROLE_ADMIN" or "ROLE_ADMIN,ROLE_SUPPORT"';

/** Hydrogen's AdminClient as returned: never with its password. */
export const adminClientSchema = {
  type: 'object',
  title: 'AdminClient',
  properties: {
    id: { type: 'integer', format: 'int64' },
    username: { type: 'string' },
    authorities: { type: 'string', description: AUTHORITIES_DESCRIPTION },
    tenant: { type: 'string', description: "The tenant's name" },
    ...flags,
    create_date: { type: 'string', format: 'date-time' },
    update_date: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'username', 'authorities', 'tenant', ...ADMIN_FLAGS, 'create_date', 'update_date'],
};

const writable = {
  username: { type: 'string', minLength: 1, maxLength: 255 },
  password: { type: 'string', minLength: 1, maxLength: 128, writeOnly: true, description: 'Stored as a bcrypt hash; never returned' },
  authorities: { type: 'string', minLength: 1, description: AUTHORITIES_DESCRIPTION },
  ...flags,
  // A record read back and sent again carries these; they are the server's, so they are ignored.
  is_2fa_verified: { type: 'boolean', readOnly: true, description: 'Set by the server when a second factor is enrolled (/admin/v1/mfa)' },
  id: { type: 'integer', readOnly: true },
  tenant: { type: 'string', readOnly: true },
  create_date: { type: 'string', readOnly: true },
  update_date: { type: 'string', readOnly: true },
};

export const adminClientCreateSchema = {
  type: 'object',
  properties: writable,
  required: ['username', 'password', 'authorities'],
  additionalProperties: false,
};

export const adminClientUpdateSchema = {
  type: 'object',
  properties: writable,
  additionalProperties: false,
};

export const adminClientIdParams = {
  type: 'object',
  properties: { client_id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, format: 'int64' } },
  required: ['client_id'],
};

export const clientCredentialsSchema = {
  type: 'object',
  title: 'ClientCredentials',
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 255 },
    current_password: { type: 'string', minLength: 1, maxLength: 128 },
    new_password: { type: 'string', minLength: 1, maxLength: 128 },
  },
  required: ['username', 'current_password', 'new_password'],
  additionalProperties: false,
};
