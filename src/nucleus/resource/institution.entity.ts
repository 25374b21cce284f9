import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'institution',
  // Hydrogen serves it among the resources, not at the top level like the other entities.
  path: 'resource/institution',
  title: 'Institution',
  tag: 'Resource',
  schema: Type.Object({
    name: Type.String({ minLength: 1 }),
    code: Type.Optional(Type.String()),
    logo_url_medium: Type.Optional(Type.String()),
    logo_url_small: Type.Optional(Type.String()),
    website_url: Type.Optional(Type.String()),
  }),
});
