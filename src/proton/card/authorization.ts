import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { EntityReader, type DocOf } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { money } from './spending-sources.ts';
import type { CardAuthorizationRequest, CardAuthorizationResponse } from './authorization.schema.ts';
import { centsOf } from './card-spends.ts';
import { holderSpending } from './holder-spending.ts';
import { decide, type CardSpend, type Decision } from './spending-rules.ts';
import { addHold } from './holds.ts';
import { authorizationReads } from './authorization-reads.ts';
import { toControlCurrency } from './control-currency.ts';
import { system } from '../../platform/entity/system-origin.ts';

type Body = Static<typeof CardAuthorizationRequest>;
type Answer = Static<typeof CardAuthorizationResponse>;

/** Trims and collapses inner runs of white space, as cleanse_data asks. */
function cleansed(text: string | null | undefined, cleanse: boolean): string | undefined {
  if (text === null || text === undefined) return undefined;
  return cleanse ? text.trim().replace(/\s+/g, ' ') : text;
}

export function spendOfRequest(body: Body): CardSpend {
  const merchant = cleansed(body.merchant, body.cleanse_data);
  return {
    day: new Date(body.date).toISOString().slice(0, 10),
    cents: centsOf(body.amount),
    currency: body.currency_code,
    type: body.transaction_type,
    ...(merchant ? { merchant } : {}),
    ...(body.merchant_id ? { merchantId: body.merchant_id } : {}),
    ...(body.mid ? { mid: body.mid } : {}),
    ...(body.merchant_category_code ? { mcc: body.merchant_category_code } : {}),
    ...(body.transaction_category_id ? { categoryId: body.transaction_category_id } : {}),
    ...(body.transaction_category ? { category: body.transaction_category } : {}),
    ...(body.location?.country ? { country: body.location.country } : {}),
  };
}

function answer(body: Body, decision: Decision, authorizationId: string | null): Omit<Answer, 'audit_log_id'> {
  const common = { card_id: body.card_id, requested_amount: money(centsOf(body.amount)), currency_code: body.currency_code, authorization_id: authorizationId };
  if (!decision.approved) {
    return { ...common, status: 'declined', approved_amount: 0, reason: decision.reason, message: decision.message, spending_control_id: decision.controlId };
  }
  return {
    ...common,
    status: decision.partial ? 'partially_approved' : 'approved',
    approved_amount: money(decision.cents),
    reason: decision.partial ? 'partially_approved' : 'approved',
    message: decision.partial ? 'approved in part: a spending limit leaves less than the amount' : 'every spending control lets the transaction through',
    spending_control_id: decision.controlId,
  };
}

/** Card statuses (Electron's and common processors') under which nothing may be spent. */
const BLOCKED_STATUSES = new Set(['suspended', 'closed', 'inactive', 'cancelled', 'canceled', 'lost', 'stolen', 'expired', 'unissued']);

/** A card can spend when not deactivated, not in a blocked status and not past its expiry date. */
export function cardCanSpend(card: DocOf<'card'>, day: string): boolean {
  if (card.is_active === false) return false;
  if (typeof card.status === 'string' && BLOCKED_STATUSES.has(card.status.toLowerCase())) return false;
  return !(typeof card.expiry_date === 'string' && card.expiry_date < day);
}

/**
 * Decides on one card transaction and, when approved, holds the amount against the holder's
 * limits. The card is read with the caller's rights (404 outside them); the controls and the
 * spending that govern it are read in the whole tenant, since a decision must not depend on
 * who asks for it. Everything happens in one transaction under the holder's lock: the card and
 * its controls are read in one statement (see authorizationReads), the holder's spending from
 * the ledger in a second, and the hold is written by a third.
 */
export async function authorizeCardTransaction(nucleus: NucleusAccess, auth: AuthContext, body: Body, requestId: string): Promise<Answer> {
  const spend = spendOfRequest(body);
  return nucleus.db.transaction(async (tx) => {
    const { card, portfolio, clientId, portfolios, controls } = await authorizationReads(tx, nucleus, auth, body.card_id);
    const cardCurrency = card.currency_code ?? body.currency_code;
    const spending = { tenantId: auth.tenantId, portfolios, day: spend.day, statuses: body.transaction_status_scope, controls, currency: cardCurrency };
    const earlier = await holderSpending(tx, spending);
    const tenantWide = EntityReader.tenantWide({ db: tx, stores: nucleus.stores }, auth.tenantId);
    const toControl = await toControlCurrency(tenantWide, controls, [spend, ...earlier], cardCurrency, spend.day, 'currency_code');
    const decision = decide({ cardActive: cardCanSpend(card, spend.day), spend, partialAuth: body.partial_auth, controls, earlier, toControl });
    const hold = decision.approved ? await addHold(tx, auth.tenantId, body.card_id, portfolio, { ...spend, cents: decision.cents }) : null;
    const result = answer(body, decision, hold);
    const auditId = body.use_audit_log ? await audit(nucleus, tx, { auth, requestId }, body, result, clientId) : null;
    return { ...result, audit_log_id: auditId };
  });
}

/** The audit_log record the caller asked for, a system write committed with the decision it records. */
async function audit(nucleus: NucleusAccess, tx: Queryable, { auth, requestId }: { auth: AuthContext; requestId: string }, body: Body, result: object, clientId: string | null): Promise<string> {
  const url = '/proton/v1/card_authorization';
  const origin = system('the audit_log record of a card authorization (use_audit_log)', { tenantId: auth.tenantId, credentialId: auth.credentialId, requestId, method: 'POST', url });
  const record = await nucleus.writer.writeWithin(tx, origin, ({ create }) =>
    create('audit_log', {
      request_url: url,
      request: JSON.stringify({ method: 'POST', credential_id: auth.credentialId, user_client_id: auth.clientId, authorities: auth.authorities, request_id: requestId, body }),
      response: JSON.stringify(result),
      ...(clientId ? { client_ids: [clientId] } : {}),
    }),
  );
  return record.id;
}
