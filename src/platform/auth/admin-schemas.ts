import { Type } from 'typebox';
import { ADMIN_FLAGS } from './admin-users.ts';

const flags = Type.Record(Type.Enum(ADMIN_FLAGS), Type.Boolean()).properties;

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

/** What a create must carry; an update may leave out any of them. */
const identity = {
  username: Type.String({ minLength: 1, maxLength: 255 }),
  password: Type.String({ minLength: 1, maxLength: 128, writeOnly: true, description: 'Stored as a bcrypt hash; never returned' }),
  authorities: Type.String({ minLength: 1, description: AUTHORITIES_DESCRIPTION }),
};

const writable = Type.Partial(
  Type.Object({
    ...identity,
    ...flags,
    // A record read back and sent again carries these; they are the server's, so they are ignored.
    is_2fa_verified: Type.Boolean({ readOnly: true, description: 'Set by the server when a second factor is enrolled (/admin/v1/mfa)' }),
    id: Type.Integer({ readOnly: true }),
    tenant: Type.String({ readOnly: true }),
    create_date: Type.String({ readOnly: true }),
    update_date: Type.String({ readOnly: true }),
  }),
).properties;

export const adminClientCreateSchema = Type.Object({ ...writable, ...identity }, { additionalProperties: false });

export const adminClientUpdateSchema = Type.Object(writable, { additionalProperties: false });

export const adminClientIdParams = Type.Object({ client_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, format: 'int64' }) });

export const clientCredentialsSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 255 }),
    current_password: Type.String({ minLength: 1, maxLength: 128 }),
    new_password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { title: 'ClientCredentials', additionalProperties: false },
);
