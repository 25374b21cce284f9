import type { WriteEvent } from '../entity/writer.ts';

/** The `atom_service` values of Hydrogen's Webhook definition, in its order. */
export const ATOM_SERVICES = [
  'client',
  'client_status',
  'account_status',
  'account',
  'card',
  'card_status',
  'portfolio_asset_size',
  'portfolio_transaction',
  'portfolio_transaction_status',
  'portfolio_holding',
  'aggregation_account',
  'aggregation_account_status',
  'notification_client',
  'aggregation_account_balance',
  'audit_log',
  'support_ticket',
  'feature_track',
  'aggregation_account_transaction',
  'aggregation_account_transaction_status',
  'aggregation_account_holding',
  'order_track',
  'funding',
  'funding_status',
  'budget',
  'document',
  'client_response',
  'client_verified',
  'document_verified',
  'bank_link_verified',
] as const;

export type AtomService = (typeof ATOM_SERVICES)[number];

/**
 * Services raised by one field of an entity rather than by the entity as a whole:
 * "changes" fires whenever the field gets a new value (including its first one on create),
 * "turns_true" when a flag becomes true. docs/webhooks.md carries the same table.
 */
interface FieldEvent {
  entity: string;
  field: string;
  when: 'changes' | 'turns_true';
  service: AtomService;
}

const FIELD_EVENTS: FieldEvent[] = [
  { entity: 'card', field: 'status', when: 'changes', service: 'card_status' },
  { entity: 'portfolio_transaction', field: 'status', when: 'changes', service: 'portfolio_transaction_status' },
  { entity: 'aggregation_account_transaction', field: 'status', when: 'changes', service: 'aggregation_account_transaction_status' },
  { entity: 'funding', field: 'funding_status', when: 'changes', service: 'funding_status' },
  { entity: 'client', field: 'is_verified', when: 'turns_true', service: 'client_verified' },
  { entity: 'document', field: 'is_verified', when: 'turns_true', service: 'document_verified' },
  { entity: 'bank_link', field: 'is_link_verified', when: 'turns_true', service: 'bank_link_verified' },
];

function fieldFired(rule: FieldEvent, event: WriteEvent): boolean {
  if (event.action === 'delete') return false;
  const now = event.record[rule.field];
  const before = event.previous?.[rule.field];
  if (rule.when === 'turns_true') return now === true && before !== true;
  return now !== undefined && now !== null && JSON.stringify(now) !== JSON.stringify(before);
}

/** Every service a write raises: the entity's own on create, update and delete, then its field events. */
export function servicesFor(event: WriteEvent): string[] {
  const services: string[] = [];
  if (event.declaration.webhookService) services.push(event.declaration.webhookService);
  for (const rule of FIELD_EVENTS) {
    if (rule.entity === event.declaration.name && fieldFired(rule, event)) services.push(rule.service);
  }
  return services;
}
