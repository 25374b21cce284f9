import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'application',
  title: 'Application',
  tag: 'Utils',
  schema: Type.Object({
    name: Type.String(),
    description: Type.Optional(Type.String()),
    device: Type.Optional(Type.String()),
  }),
});
