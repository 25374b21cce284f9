import { Type } from 'typebox';
import { defineEntity } from '../../platform/entity/declaration.ts';
import { ATOM_SERVICES } from '../../platform/webhooks/events.ts';

/**
 * Where a tenant's change events are sent. The URL check and the generated secret are added by
 * the webhooks plugin (src/platform/webhooks/webhook-input.ts), which knows whether private
 * targets are allowed.
 */
export default defineEntity({
  name: 'webhook',
  title: 'Webhook',
  tag: 'Webhook',
  schema: Type.Object({
    url: Type.String({
      format: 'uri',
      maxLength: 2048,
      description: 'http or https URL that receives a POST per event; must not point at a loopback, private or link-local address',
    }),
    atom_service: Type.Optional(
      Type.Array(Type.Enum(ATOM_SERVICES, { type: 'string' }), {
        uniqueItems: true,
        description: 'Services whose events are sent to this webhook',
      }),
    ),
    is_active: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Only active webhooks receive events; set to false by the server when the receiver answers 410 or keeps failing',
      }),
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          'Key of the HMAC signatures; generated ("whsec_" + base64 of 32 random bytes) when not given. ' +
          'A secret starting with "whsec_" must continue with the base64 of 24 to 64 bytes.',
      }),
    ),
  }),
});
