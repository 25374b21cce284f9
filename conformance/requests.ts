/**
 * Requests written by hand, for the few operations where a body built from the spec cannot be
 * meaningful: the spec says nothing of the body (bulk endpoints take "JsonNode" or arrays of
 * bare objects), marks nothing required where a request needs fields (an admin user without
 * a username), or values valid one by one are infeasible together (a retirement that ends
 * before it starts). Each is still checked against the spec's request schema before it is
 * sent, and its response judged like any other; an example documented in Deuterium's own
 * OpenAPI document takes precedence over these.
 *
 * A request that needs records in a given state first (Electron's cards and fundings) makes
 * them itself with kit.request, in the order the workflow needs; see electron.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpResult, RequestOptions } from '../test/support/server.ts';
import { isObject } from './judge.ts';
import { pathShape } from './spec.ts';
import { ELECTRON_REQUESTS } from './electron.ts';
import { PROTON_PORTFOLIO_REQUESTS } from './proton-portfolio.ts';
import { PROTON_SIMULATION_REQUESTS } from './proton-simulation.ts';
import { PROTON_WELLNESS_REQUESTS } from './proton-wellness.ts';
import { PROTON_CARD_REQUESTS } from './proton-card.ts';
import { PROTON_BUSINESS_REQUESTS } from './proton-business.ts';
import { PROTON_ADVICE_REQUESTS } from './proton-advice.ts';

export interface RequestKit {
  /** A create body for the entity, pointing at live records. */
  createBody(entity: string): Record<string, unknown> | undefined;
  /** The id of the live record of the entity. */
  liveId(entity: string): string | undefined;
  /** A new record of the entity that nothing points at, for deleting. */
  throwaway(entity: string): Promise<string | undefined>;
  /**
   * A request to the server under test, to prepare the records a hand-written request needs.
   * Its answer is never judged; only the request the builder returns is.
   */
  request(method: string, path: string, body?: unknown): Promise<HttpResult<unknown>>;
}

export interface HandWrittenRequest {
  /** Values for the path's {parameters}. */
  params?: Record<string, string>;
  body: unknown;
}

export type Builder = (kit: RequestKit, match: RegExpExecArray) => Promise<HandWrittenRequest | { error: string }>;

// Bulk requests target the entity of the spec's x-example for {entity_uri}.
const BULK_ENTITY = 'model';

const bulkCreate: Builder = async (kit, match) => {
  const entity = match[1] ?? BULK_ENTITY;
  const item = kit.createBody(entity);
  return item ? { params: { entity_uri: entity }, body: [item] } : { error: `no sample ${entity} body for a bulk item` };
};

const bulkUpdate: Builder = async (kit, match) => {
  const entity = match[1] ?? BULK_ENTITY;
  const id = kit.liveId(entity);
  return id ? { params: { entity_uri: entity }, body: [{ id, secondary_id: 'conformance-bulk' }] } : { error: `no live ${entity} record to update` };
};

const bulkDelete: Builder = async (kit) => {
  const id = await kit.throwaway(BULK_ENTITY);
  return id ? { params: { entity_uri: BULK_ENTITY }, body: [{ id }] } : { error: `no ${BULK_ENTITY} record to delete` };
};

// One admin user per run: created, then its password changed with the current one.
const adminUser = {
  username: `conformance-${randomBytes(4).toString('hex')}`,
  password: `Cf-${randomBytes(9).toString('base64url')}-1a`,
  newPassword: `Cf-${randomBytes(9).toString('base64url')}-2b`,
};

const body =
  (value: Record<string, unknown>): Builder =>
  async () => ({ body: value });

// The spec marks no field of a permission grant required, but a grant means nothing without
// its account and client; both must be live records. An update names the account in its path
// only, as Hydrogen's documented example does.
const permissionGrant =
  (permission_type: string, accountInBody: boolean): Builder =>
  async (kit) => {
    const account_id = kit.liveId('account');
    const client_id = kit.liveId('client');
    if (!account_id || !client_id) return { error: 'no live account and client to grant a permission on' };
    return { params: { account_id }, body: { ...(accountInBody ? { account_id } : {}), client_id, permission_type } };
  };

// Generating orders needs the day they are for; selling everything needs the transaction code
// the sells are booked under. The spec marks neither required, the server needs both.
const orderBulk =
  (entity: 'account' | 'client'): Builder =>
  async (kit) => {
    const id = kit.liveId(entity);
    return id ? { params: { [`${entity}_id`]: id }, body: { date: '2026-01-15T00:00:00.000Z' } } : { error: `no live ${entity}` };
  };

const sellAll =
  (entity: 'account' | 'portfolio'): Builder =>
  async (kit) => {
    const id = kit.liveId(entity);
    const code = kit.liveId('transaction_code');
    if (!id || !code) return { error: `no live ${entity} and transaction code` };
    return { params: { [`${entity}_id`]: id }, body: { sell_transaction_code_id: code } };
  };

// The firm-wide netting needs its day, and the codes of the blocks it places when other
// requests of the run left orders on that day.
const firmOrderBulk: Builder = async (kit) => {
  const code = kit.liveId('transaction_code');
  return code ? { body: { date: '2026-01-15T00:00:00.000Z', buy_transaction_code_id: code, sell_transaction_code_id: code } } : { error: 'no live transaction_code' };
};

/** A record made for a request to work on; undefined when the server refused it. */
async function made(kit: RequestKit, entity: string, body: Record<string, unknown> | undefined): Promise<string | undefined> {
  if (!body) return undefined;
  const created = await kit.request('POST', `/nucleus/v1/${entity}`, body);
  return created.status < 300 && isObject(created.body) && typeof created.body.id === 'string' ? created.body.id : undefined;
}

// Sweeping and rounding up need a setting; the live ones point at the live bank link and account.
const overflow: Builder = async (kit) => {
  const id = kit.liveId('overflow_setting');
  return id ? { body: { overflow_setting_id: id, funding_start_date: '2026-01-15', update_balances: false } } : { error: 'no live overflow_setting' };
};

const roundup: Builder = async (kit) => {
  const id = kit.liveId('roundup_setting');
  return id
    ? { body: { roundup_setting_id: id, funding_start_date: '2026-01-15', transaction_start_date: '2026-01-01T00:00:00.000Z', transaction_end_date: '2026-01-31T23:59:59.000Z' } }
    : { error: 'no live roundup_setting' };
};

// Reconciling books filled orders, so it needs one: a buy (its code must say so) of the live
// portfolio with a price, and a track that fills it; only that track is named, so the other
// orders the run made are left alone.
const orderReconciliation =
  (entity: 'account' | 'portfolio'): Builder =>
  async (kit) => {
    const portfolioId = kit.liveId('portfolio');
    const securityId = kit.liveId('security');
    const modelId = kit.liveId('model');
    const portfolio = portfolioId ? await kit.request('GET', `/nucleus/v1/portfolio/${portfolioId}`) : undefined;
    const accountId = isObject(portfolio?.body) ? portfolio.body.account_id : undefined;
    if (!portfolioId || !securityId || !modelId || typeof accountId !== 'string') return { error: 'no live portfolio, security and model' };
    const code = await made(kit, 'transaction_code', { transaction_code: `RECON-${entity}-${randomBytes(4).toString('hex')}`, is_buy: true });
    const status = await made(kit, 'order_status', { status: 'filled', description: 'Executed' });
    const order =
      code &&
      (await made(kit, 'order', {
        date: '2026-01-16', order_ticket_id: randomUUID(), account_id: accountId, portfolio_id: portfolioId, model_id: modelId,
        security_id: securityId, transaction_code_id: code, quantity: 2, price: 10, amount: 20,
      }));
    const track = order && status && (await made(kit, 'order_track', { order_id: order, order_status_id: status, date: '2026-01-16', quantity: 2, price: 10 }));
    if (!track) return { error: 'could not make a filled order to reconcile' };
    return { params: { [`${entity}_id`]: entity === 'account' ? accountId : portfolioId }, body: { order_track_ids: [track] } };
  };

// A model change is read from the model's holdings, each moved security needing a price and
// the buys a code: a fresh model holding a fresh, priced security is changed from nothing.
const modelChange: Builder = async (kit) => {
  const modelId = await made(kit, 'model', { name: `Conformance change ${randomBytes(4).toString('hex')}` });
  const securityId = await made(kit, 'security', kit.createBody('security'));
  const priced = securityId && (await made(kit, 'security_price', { ...kit.createBody('security_price'), security_id: securityId, date: '2026-01-01T00:00:00.000Z', price: 25 }));
  const held = priced && modelId && (await made(kit, 'model_holding', { model_id: modelId, security_id: securityId, date: '2026-01-02', current_weight: 40, strategic_weight: 40 }));
  const code = await made(kit, 'transaction_code', { transaction_code: `CHANGE-${randomBytes(4).toString('hex')}`, is_buy: true });
  if (!held || !code) return { error: 'could not make a priced model holding to change' };
  return { params: { model_id: modelId! }, body: { non_fractional: false } };
};

// A decision tree is walked by the answers given; the spec's generated answer names no answer.
const decisionTreeResult: Builder = async (kit) => {
  const answer_id = kit.liveId('answer');
  return answer_id ? { body: { entity_type: 'allocation', answers: [{ answer_id }] } } : { error: 'no live answer' };
};

/** Matched against "METHOD /path/{param}" as the spec writes it (base path included). */
export const HAND_WRITTEN: [RegExp, Builder][] = [
  [/^POST \/nucleus\/v1\/bulk\/\{entity_uri\}$/, bulkCreate],
  [/^PUT \/nucleus\/v1\/bulk\/\{entity_uri\}$/, bulkUpdate],
  [/^DELETE \/nucleus\/v1\/bulk\/\{entity_uri\}$/, bulkDelete],
  // Hydrogen's older per-entity bulk paths take the same arrays.
  [/^POST \/nucleus\/v1\/bulk_([a-z_]+)$/, bulkCreate],
  [/^PUT \/nucleus\/v1\/bulk_([a-z_]+)$/, bulkUpdate],
  // The spec marks no admin user field required; a login needs a name, a password and a role.
  [/^POST \/admin\/v1\/client$/, body({ username: adminUser.username, password: adminUser.password, authorities: 'ROLE_ADMIN' })],
  [
    /^POST \/admin\/v1\/client_credentials$/,
    body({ username: adminUser.username, current_password: adminUser.password, new_password: adminUser.newPassword }),
  ],
  [/^POST \/nucleus\/v1\/account_permission$/, permissionGrant('INQUIRY_ACCESS', true)],
  [/^PUT \/nucleus\/v1\/account_permission\/\{account_id\}$/, permissionGrant('FULL_AUTHORITY', false)],
  [/^POST \/nucleus\/v1\/account\/\{account_id\}\/order_bulk$/, orderBulk('account')],
  [/^POST \/nucleus\/v1\/client\/\{client_id\}\/order_bulk$/, orderBulk('client')],
  [/^POST \/nucleus\/v1\/account\/\{account_id\}\/order_sell_all$/, sellAll('account')],
  [/^POST \/nucleus\/v1\/portfolio\/\{portfolio_id\}\/order_sell_all$/, sellAll('portfolio')],
  [/^POST \/nucleus\/v1\/decision_tree_result$/, decisionTreeResult],
  [/^POST \/nucleus\/v1\/order_bulk$/, firmOrderBulk],
  [/^POST \/nucleus\/v1\/overflow$/, overflow],
  [/^POST \/nucleus\/v1\/roundup$/, roundup],
  [/^POST \/nucleus\/v1\/account\/\{account_id\}\/order_reconciliation$/, orderReconciliation('account')],
  [/^POST \/nucleus\/v1\/portfolio\/\{portfolio_id\}\/order_reconciliation$/, orderReconciliation('portfolio')],
  [/^POST \/nucleus\/v1\/model\/\{model_id\}\/model_change$/, modelChange],
  // A horizon exists only when the deposits can reach the goal at all.
  [
    /^POST \/proton\/v1\/annuity_calculator\/accumulation_horizon$/,
    body({
      portfolio_return: 0.05,
      initial_balance: 10000,
      deposit_schedule: { deposit_amount: 1000, deposit_frequency_interval: 'year' },
      annuity_amount: 2000,
      decumulation_horizon: 10,
    }),
  ],
  [
    /^POST \/proton\/v1\/purchase_calculator\/horizon$/,
    body({
      portfolio_return: 0.05,
      purchase_amount: 50000,
      current_savings: 10000,
      deposit_schedule: { deposit_amount: 5000, deposit_frequency_interval: 'year' },
    }),
  ],
  // Ages must order as current < retirement < death for there to be expenses to cover.
  [
    /^POST \/proton\/v1\/retirement_calculator\/expenses$/,
    body({
      portfolio_return: 0.05,
      current_age: 40,
      retirement_age: 65,
      death_age: 90,
      retirement_savings: 100000,
      deposit_schedule: { deposit_amount: 10000, deposit_frequency_interval: 'year' },
    }),
  ],
  ...ELECTRON_REQUESTS,
  ...PROTON_PORTFOLIO_REQUESTS,
  ...PROTON_SIMULATION_REQUESTS,
  ...PROTON_WELLNESS_REQUESTS,
  ...PROTON_CARD_REQUESTS,
  ...PROTON_BUSINESS_REQUESTS,
  ...PROTON_ADVICE_REQUESTS,
];

export function handWrittenFor(method: string, path: string): [Builder, RegExpExecArray] | undefined {
  const key = `${method} ${path}`;
  for (const [pattern, builder] of HAND_WRITTEN) {
    const match = pattern.exec(key);
    if (match) return [builder, match];
  }
  return undefined;
}

/** The first example an OpenAPI 3 media type object carries, wherever it is put. */
function firstExample(media: Record<string, unknown>): unknown {
  if (media.example !== undefined) return media.example;
  if (isObject(media.examples)) {
    const first = Object.values(media.examples)[0];
    if (isObject(first) && first.value !== undefined) return first.value;
  }
  const schema = media.schema;
  if (isObject(schema)) {
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  }
  return undefined;
}

/**
 * Example request bodies from Deuterium's own OpenAPI document, by "METHOD /path/{}". A
 * generated body can be valid by the spec yet meaningless (an annuity a zero balance cannot
 * pay); an example the implementer documents (`examples` on a route's body schema) is
 * preferred, once the spec's request schema accepts it.
 */
export async function documentedExamples(server: {
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>;
}): Promise<Map<string, unknown>> {
  const examples = new Map<string, unknown>();
  let document: unknown;
  try {
    document = (await server.request('GET', '/openapi.json')).body;
  } catch {
    return examples;
  }
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      const content = isObject(operation) && isObject(operation.requestBody) ? operation.requestBody.content : undefined;
      const media = isObject(content) ? content['application/json'] : undefined;
      const example = isObject(media) ? firstExample(media) : undefined;
      if (example !== undefined) examples.set(`${method.toUpperCase()} ${pathShape(path)}`, example);
    }
  }
  return examples;
}
