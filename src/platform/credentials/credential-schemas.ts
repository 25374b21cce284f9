import { Type, type Static } from 'typebox';
import { AUTHORITIES } from '../auth/authorities.ts';
import { MAX_ALLOWED_IPS } from './allowlist.ts';
import { ALL_APPS } from './apps.ts';
import { rateLimitSchema } from '../rate-limit/rate-limits.ts';
import { defaulted, stringEnum } from '../http/typebox-schemas.ts';
import { DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS } from './credential-changes.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;

const secretUse = {
  last_used_at: { ...nullableDateTime, description: 'When this secret last obtained a token' },
  last_used_ip: { ...nullableString, description: 'The address it came from then' },
} as const;

const previousSecret = {
  type: 'object',
  properties: { expires_at: dateTime, is_accepted: { type: 'boolean' }, ...secretUse },
  required: ['expires_at', 'is_accepted', 'last_used_at', 'last_used_ip'],
} as const;

/** An API credential as returned: never with a secret. */
export const apiCredentialSchema = {
  type: 'object',
  title: 'ApiCredential',
  properties: {
    id: { type: 'string', format: 'uuid' },
    client_id: { type: 'string', description: 'The HTTP Basic user name at the token endpoint' },
    name: { type: 'string' },
    authorities: { type: 'array', items: { type: 'string' } },
    apps: { type: 'array', items: { type: 'string' }, description: "The APIs its tokens may call (the token response's apps)" },
    allowed_ips: {
      type: 'array',
      items: { type: 'string' },
      description: 'Addresses and CIDR ranges the credential and its tokens may be used from; empty allows every address',
    },
    rate_limit: { type: ['integer', 'null'], description: "Requests its tokens may make per rate-limit window; null: the tenant's limit" },
    is_active: { type: 'boolean', description: 'False once revoked' },
    revoked_at: nullableDateTime,
    last_used_at: { ...nullableDateTime, description: 'When either secret last obtained a token' },
    last_used_ip: nullableString,
    secret: {
      type: 'object',
      properties: { create_date: dateTime, ...secretUse },
      required: ['create_date', 'last_used_at', 'last_used_ip'],
    },
    // TypeBox infers no type from an object-or-null `type` list: the type is the object's, or null.
    previous_secret: Type.Unsafe<Static<typeof previousSecret> | null>({
      type: ['object', 'null'],
      description: 'The secret the last rotation replaced, accepted until expires_at',
      properties: previousSecret.properties,
      required: previousSecret.required,
    }),
    tokens_issued: { type: 'integer', description: 'Tokens ever issued with the credential' },
    active_tokens: { type: 'integer', description: 'Tokens issued with it that are still usable' },
    create_date: dateTime,
    update_date: dateTime,
  },
  required: [
    'id', 'client_id', 'name', 'authorities', 'apps', 'allowed_ips', 'rate_limit', 'is_active', 'revoked_at', 'last_used_at', 'last_used_ip',
    'secret', 'previous_secret', 'tokens_issued', 'active_tokens', 'create_date', 'update_date',
  ],
} as const;

/** The answer to a create or a rotation: the only time the secret is shown. */
export const apiCredentialWithSecretSchema = {
  ...apiCredentialSchema,
  title: 'ApiCredentialWithSecret',
  properties: {
    ...apiCredentialSchema.properties,
    client_secret: { type: 'string', description: 'Shown this once; only its bcrypt hash is stored' },
  },
  required: [...apiCredentialSchema.required, 'client_secret'],
} as const;

const writable = {
  name: Type.String({ minLength: 1, maxLength: 255 }),
  authorities: Type.Array(stringEnum([...AUTHORITIES]), { minItems: 1, maxItems: AUTHORITIES.length }),
  apps: Type.Optional(Type.Array(stringEnum(ALL_APPS), { minItems: 1, maxItems: ALL_APPS.length })),
  allowed_ips: Type.Optional(
    Type.Array(Type.String({ minLength: 2, maxLength: 64 }), {
      maxItems: MAX_ALLOWED_IPS,
      description: 'IPv4 and IPv6 addresses and CIDR ranges, e.g. "203.0.113.7", "10.0.0.0/8", "2001:db8::/32"',
    }),
  ),
  rate_limit: Type.Optional(
    rateLimitSchema({
      description: "Requests its tokens may make per rate-limit window, on all server processes together; 0 for no limit, null for the tenant's",
    }),
  ),
};

export const apiCredentialCreateSchema = Type.Object(writable, { additionalProperties: false });

export const apiCredentialUpdateSchema = Type.Object(
  { ...writable, name: Type.Optional(writable.name), authorities: Type.Optional(writable.authorities) },
  { additionalProperties: false },
);

export const rotateSchema = Type.Object(
  {
    grace_period_seconds: defaulted(
      Type.Integer({
        minimum: 0,
        maximum: MAX_GRACE_SECONDS,
        default: DEFAULT_GRACE_SECONDS,
        description: 'How long the replaced secret stays accepted; 0 refuses it at once',
      }),
    ),
  },
  { additionalProperties: false },
);

export const credentialIdParams = Type.Object({ credential_id: Type.String({ maxLength: 36 }) });
