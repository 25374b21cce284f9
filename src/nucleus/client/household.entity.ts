import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

// Hydrogen's Member and ClientRelationship also embed their household and member, which would
// make the shape recursive; those back-references are left out.
const ClientRelationship = Type.Object(
  {
    client_id: Type.String({ format: 'uuid' }),
    relationship: Type.String(),
  },
  { additionalProperties: false, title: 'ClientRelationship' },
);

const Member = Type.Object(
  {
    client_id: Type.String({ format: 'uuid' }),
    client_relationships: Type.Optional(Type.Array(ClientRelationship)),
    is_primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'Member' },
);

export default defineEntity({
  name: 'household',
  title: 'Household',
  tag: 'Household',
  references: {
    'members[].client_id': 'client',
    'members[].client_relationships[].client_id': 'client',
  },
  schema: Type.Object({
    name: Type.String(),
    category: Type.Optional(Type.String()),
    household_income: Type.Optional(Type.Number()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    members: Type.Optional(Type.Array(Member)),
    subcategory: Type.Optional(Type.String()),
  }),
});
