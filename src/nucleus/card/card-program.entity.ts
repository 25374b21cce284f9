import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';

export default defineEntity({
  name: 'card_program',
  title: 'CardProgram',
  tag: 'Card',
  references: {
    client_id: 'client',
  },
  schema: Type.Object({
    card_network: Type.String(),
    card_type: Type.String(),
    issuing_bank: Type.String(),
    name: Type.String(),
    card_processor: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String({ format: 'uuid' })),
    code: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    is_active: Type.Optional(Type.Boolean({ default: true })),
    is_delegated_authority: Type.Optional(Type.Boolean()),
    program_manager: Type.Optional(Type.String()),
  }),
});
