import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

const PERMISSION_TYPES = ['INQUIRY_ACCESS', 'LIMITED_AUTHORITY', 'FULL_AUTHORITY', 'POWER_OF_ATTORNEY'];

const PermissionVO = Type.Object(
  {
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    permission_type: Type.Optional(Type.Enum(PERMISSION_TYPES, { type: 'string' })),
  },
  { additionalProperties: false, title: 'PermissionVO' },
);

export default defineEntity({
  name: 'account_permission',
  title: 'AccountPermissionVO',
  tag: 'Account',
  // Written per client (POST and PUT take one grant, AclClientPermissionVO) and addressed by
  // account_id, not by the record's id: those endpoints are special, the engine serves the list.
  operations: ['list'],
  // One permission record per account, holding every client's grant; it goes with its account.
  dependent: true,
  ownedThrough: ['account_id'],
  unique: [['account_id']],
  references: {
    account_id: 'account',
    'clients[].client_id': 'client',
  },
  schema: Type.Object({
    account_id: Type.String({ format: 'uuid' }),
    clients: Type.Optional(Type.Array(PermissionVO)),
  }),
});
