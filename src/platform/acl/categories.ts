/**
 * Which part of the business each entity belongs to. The access policy (policy.ts) speaks in
 * these categories, so the table in docs/access-control.md stays readable; a new entity must
 * be given one here (a test checks every declared entity is).
 */
export const CATEGORIES = {
  /** Securities, models, allocations and the trading around them. */
  investing: [
    'security', 'security_price', 'security_exclusion', 'model', 'model_holding', 'model_transaction', 'model_asset_size',
    'model_comment', 'allocation', 'allocation_composition', 'benchmark', 'transaction_code',
  ],
  /** Portfolios and their positions, and the orders that move them. */
  portfolios: [
    'portfolio', 'portfolio_asset_size', 'portfolio_holding', 'portfolio_transaction', 'portfolio_comment', 'portfolio_goal',
    'order', 'order_bulk', 'order_track', 'order_status',
  ],
  /** The accounts clients hold, and what hangs from them. */
  accounts: [
    'account', 'account_type', 'account_allocation', 'account_permission', 'bank_link', 'card', 'card_program', 'spending_control',
    'budget', 'goal', 'goal_track', 'aggregation_account', 'aggregation_account_balance', 'aggregation_account_holding',
    'aggregation_account_transaction', 'overflow', 'overflow_setting', 'roundup', 'roundup_setting', 'institution',
  ],
  /** Money moving in and out. */
  money_movement: ['funding', 'funding_transaction', 'transfer'],
  /** Who the clients are. */
  clients: [
    'client', 'household', 'business', 'contact', 'client_response', 'risk_profile', 'score', 'financial_statement', 'invoice',
    'invoice_payment', 'customer_revenue',
  ],
  /** Paperwork. */
  documents: ['document'],
  /** Where clients and accounts stand in onboarding and servicing. */
  statuses: ['client_status', 'account_status'],
  /** What clients are shown and asked: apps, features, notifications, questionnaires. */
  engagement: [
    'application', 'stage', 'feature', 'feature_track', 'notification', 'notification_client', 'notification_setting',
    'reason_code', 'questionnaire', 'question', 'answer', 'decision_tree', 'node', 'node_relationship',
  ],
  /** Running the platform itself. */
  administration: ['webhook', 'audit_log'],
} as const;

export type Category = keyof typeof CATEGORIES;

const BY_ENTITY = new Map<string, Category>(
  Object.entries(CATEGORIES).flatMap(([category, entities]) => entities.map((e) => [e, category as Category] as const)),
);

export function categoryOf(entity: string): Category | undefined {
  return BY_ENTITY.get(entity);
}

/**
 * Tenant-wide reference data: records of these entities that name no owner are visible to
 * every caller of the tenant, clients included (a firm's models, its questionnaires, the
 * account types it offers). Records of every other entity are visible to scoped callers
 * only when they own them.
 */
export const SHARED_WHEN_UNOWNED = new Set([
  'security', 'security_price', 'model', 'model_holding', 'model_transaction', 'model_asset_size', 'model_comment', 'allocation',
  'allocation_composition', 'benchmark', 'transaction_code', 'account_type', 'card_program', 'goal', 'order_status',
  'application', 'stage', 'feature', 'notification', 'reason_code', 'questionnaire', 'question', 'answer', 'decision_tree', 'node',
  'node_relationship', 'institution',
]);
