import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const BusinessAddress = Type.Object(
  {
    address_line1: Type.String(),
    city: Type.String(),
    country: Type.String(),
    state: Type.String(),
    type: Type.String(),
    address_line2: Type.Optional(Type.String()),
    is_primary: Type.Optional(Type.Boolean()),
    postalcode: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'BusinessAddress' },
);

const Ownership = Type.Object(
  {
    client_id: Type.String({ format: 'uuid' }),
    role: Type.String(),
    is_beneficial: Type.Optional(Type.Boolean()),
    is_primary: Type.Optional(Type.Boolean()),
    percent_ownership: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, title: 'Ownership' },
);

export default defineEntity({
  name: 'business',
  title: 'Business',
  tag: 'Business',
  references: {
    'ownership[].client_id': 'client',
  },
  schema: Type.Object({
    legal_name: Type.String(),
    address: Type.Optional(Type.Array(BusinessAddress)),
    category: Type.Optional(Type.String()),
    dba_name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String({ format: 'email' })),
    identification_number: Type.Optional(Type.String()),
    identification_number_type: Type.Optional(Type.String()),
    incorporation_country: Type.Optional(Type.String()),
    incorporation_date: Type.Optional(Type.String({ format: 'date' })),
    incorporation_state: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_public: Type.Optional(Type.Boolean()),
    is_verified: Type.Optional(Type.Boolean()),
    legal_structure: Type.Optional(Type.String()),
    ownership: Type.Optional(Type.Array(Ownership)),
    phone_number: Type.Optional(Type.String()),
    status: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
    ticker: Type.Optional(Type.String()),
    website: Type.Optional(Type.String()),
  }),
});
