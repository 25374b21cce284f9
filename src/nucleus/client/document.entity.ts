import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'document',
  title: 'Document',
  tag: 'Document',
  webhookService: 'document',
  references: {
    account_id: 'account',
    business_id: 'business',
    client_id: 'client',
  },
  schema: Type.Object({
    doc_name: Type.String(),
    account_id: Type.Optional(Type.String({ format: 'uuid' })),
    business_id: Type.Optional(Type.String({ format: 'uuid' })),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    country_of_issue: Type.Optional(Type.String()),
    doc_file: Type.Optional(Type.String()),
    doc_image_back: Type.Optional(Type.String()),
    doc_image_front: Type.Optional(Type.String()),
    doc_number: Type.Optional(Type.String()),
    doc_size: Type.Optional(Type.Integer()),
    doc_type: Type.Optional(Type.String()),
    expiry_date: Type.Optional(Type.String({ format: 'date' })),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_sensitive: Type.Optional(Type.Boolean()),
    is_verified: Type.Optional(Type.Boolean()),
    issue_date: Type.Optional(Type.String({ format: 'date' })),
    state_of_issue: Type.Optional(Type.String()),
    url_path: Type.Optional(Type.String()),
  }),
});
