import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';
import { AUTHORITIES } from '../../platform/auth/authorities.ts';
import { COMMA_SEPARATED } from '../../platform/http/lenient-input.ts';

const ClientAddress = Type.Object(
  {
    address_line1: Type.String({ description: 'First line of the street address' }),
    address_line2: Type.Optional(Type.String()),
    city: Type.String(),
    state: Type.String(),
    postalcode: Type.Optional(Type.String()),
    country: Type.String({ description: 'ISO 3166-1 alpha-2 country code, for example "US"' }),
    type: Type.String({ description: 'For example "home" or "mailing"' }),
    is_primary: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false, title: 'ClientAddress' },
);

const Employment = Type.Object(
  {
    employer: Type.Optional(Type.String()),
    employment_status: Type.Optional(Type.String()),
    job_title: Type.Optional(Type.String()),
    occupation: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'Employment' },
);

export default defineEntity({
  name: 'client',
  title: 'Client',
  tag: 'Client',
  webhookService: 'client',
  unique: [['username']],
  // Firms look their clients up by email and list them by status.
  indexes: [['email'], ['status']],
  secrets: ['password'],
  administeredFields: ['authorities'],
  references: { business_id: 'business' },
  schema: Type.Object({
    username: Type.String({ minLength: 1, maxLength: 255, description: 'Login name, unique in the tenant' }),
    client_type: Type.String({ minLength: 1, description: 'For example "individual", "firm" or "advisor"' }),
    password: Type.Optional(
      Type.String({ minLength: 8, maxLength: 128, writeOnly: true, description: 'Stored as a bcrypt hash; never returned' }),
    ),
    authorities: Type.Optional(
      Type.Array(Type.Union(AUTHORITIES.map((a) => Type.Literal(a))), {
        uniqueItems: true,
        [COMMA_SEPARATED]: true,
        description: 'Roles this client holds when it logs in with the password grant; also accepted as one comma-separated string ("ROLE_CLIENT,ROLE_ADVISOR"), as Hydrogen\'s docs send it',
      }),
    ),
    first_name: Type.Optional(Type.String()),
    middle_name: Type.Optional(Type.String()),
    last_name: Type.Optional(Type.String()),
    suffix: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    email: Type.Optional(Type.String({ format: 'email' })),
    phone_number: Type.Optional(Type.String()),
    date_of_birth: Type.Optional(Type.String({ format: 'date' })),
    gender: Type.Optional(Type.String()),
    image: Type.Optional(Type.String()),
    address: Type.Optional(Type.Array(ClientAddress)),
    employment: Type.Optional(Employment),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    citizenship_status: Type.Optional(Type.String()),
    country_of_citizenship: Type.Optional(Type.Array(Type.String())),
    country_of_residence: Type.Optional(Type.String()),
    firm_name: Type.Optional(Type.String()),
    firm_type: Type.Optional(Type.String()),
    group: Type.Optional(Type.Array(Type.String())),
    hydro_id: Type.Optional(Type.String()),
    identification_number: Type.Optional(Type.String()),
    identification_number_type: Type.Optional(Type.String()),
    income: Type.Optional(Type.Integer({ minimum: 0 })),
    liquid_net_worth: Type.Optional(Type.Number()),
    total_net_worth: Type.Optional(Type.Number()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_verified: Type.Optional(Type.Boolean({ default: false })),
    status: Type.Optional(Type.String()),
  }),
});
