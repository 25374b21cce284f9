import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import type { EntityName } from '../../platform/entity/entity-records.ts';
import type { DocOf, EntityReader } from '../../platform/read/entity-reader.ts';
import type { FieldExpressions } from '../../platform/read/fields.ts';
import { errors } from '../../platform/http/errors.ts';
import { fundingRequest, type FundedSetting } from './funding-requests.ts';
import { cents, Decimal, decimalOf, HUNDRED, ONE, ZERO } from '../../platform/money/money.ts';

/** RoundupCO, as Hydrogen names its fields. */
export interface RoundupRequest {
  roundup_setting_id: string;
  funding_start_date: string;
  transaction_start_date: string;
  transaction_end_date?: string;
  update_transactions?: boolean;
}

interface Step {
  amount: number;
}

type Setting = DocOf<'roundup_setting'>;

/** A spending transaction as the roundup sees it, wherever it was recorded. */
export interface Spend {
  entity: 'portfolio_transaction' | 'aggregation_account_transaction';
  id: string;
  doc: { metadata?: Record<string, string> };
  amount: Decimal;
  category?: string;
  merchant?: string;
  /** The whole-currency step of the account (or aggregation account) it was made from. */
  step: number;
}

/** The step a map line gives; a line without a usable one rounds to the next whole unit. */
function stepOf(line: Step | undefined): Decimal {
  const step = decimalOf(line?.amount);
  return step && step.gt(0) ? step : ONE;
}

/** What rounding one purchase up to the next multiple of the step adds (nothing when it is one already). */
export function roundupOf(amount: Decimal, step: Decimal): Decimal {
  const spent = amount.abs();
  return spent.div(step).ceil().times(step).minus(spent);
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : undefined);

/**
 * The roundups of a setting's transactions: each purchase is rounded up to the next multiple
 * of its step (a merchant's, else its category's, else its account's), and the differences
 * summed. When the setting lists categories or merchants, only purchases in them count.
 */
export function roundups(setting: Pick<Setting, 'categories' | 'merchants'>, spends: readonly Spend[]): { spend: Spend; roundup: Decimal }[] {
  const categories = new Map((setting.categories ?? []).map((c) => [c.category.toLowerCase(), c]));
  const merchants = new Map((setting.merchants ?? []).map((m) => [m.merchant.toLowerCase(), m]));
  const counted: { spend: Spend; roundup: Decimal }[] = [];
  for (const spend of spends) {
    const category = categories.get(lower(spend.category) ?? '');
    const merchant = merchants.get(lower(spend.merchant) ?? '');
    if ((categories.size > 0 && !category) || (merchants.size > 0 && !merchant)) continue;
    const step = merchant ? stepOf(merchant) : category ? stepOf(category) : stepOf({ amount: spend.step });
    const roundup = roundupOf(spend.amount, step);
    if (roundup.gt(0)) counted.push({ spend, roundup });
  }
  return counted;
}

/** A total split over bank links by weight, in cents that add up to it exactly (the first link takes the odd cents). */
export function splitByWeight(total: Decimal, weights: readonly Decimal[]): Decimal[] {
  const sum = weights.reduce((s, w) => s.plus(w), ZERO);
  if (sum.lte(0)) return weights.map(() => ZERO);
  const shares = weights.map((w) => total.times(w).div(sum).toDecimalPlaces(2, Decimal.ROUND_DOWN));
  const rest = total.minus(shares.reduce((s, v) => s.plus(v), ZERO));
  const first = weights.findIndex((w) => w.gt(0));
  shares[first] = shares[first].plus(rest);
  return shares;
}

/** Date-times compare as the store keeps them: canonical UTC text. */
function instant(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw errors.invalidField({ field, problem: 'is not a date-time' });
  return new Date(time).toISOString();
}

/** Metadata holds the caller's own keys, which no schema names; roundup_id is the one a roundup writes. */
function notRoundedUp(f: FieldExpressions<Spend['entity']>): string {
  return `${f.json('metadata')}->>'roundup_id' IS NULL`;
}

function byCreation<N extends EntityName>(f: FieldExpressions<N>): string {
  return `${f.column('create_date')}, ${f.column('id')}`;
}

/** The setting's purchases in the period not yet rounded up: bank debits of its aggregation accounts, outflows of its accounts. */
async function spendsOf(reader: EntityReader, setting: Setting, from: string, until: string | undefined): Promise<Spend[]> {
  const spends: Spend[] = [];
  const aggregation = new Map((setting.aggregation_accounts ?? []).map((a) => [a.aggregation_account_id, a.amount]));
  if (aggregation.size > 0) {
    const rows = await reader.rows('aggregation_account_transaction', {
      where: { aggregation_account_id: { in: [...aggregation.keys()] }, transaction_date: { gte: from, lte: until } },
      and: (f) => `lower(${f.text('bank_credit.transaction_type')}) = 'debit' AND ${notRoundedUp(f)}`,
      order: byCreation,
    });
    for (const { id, doc } of rows) {
      // Only debits are read, and a debit is a bank_credit's.
      const credit = doc.bank_credit!;
      spends.push({ entity: 'aggregation_account_transaction', id, doc, amount: decimalOf(credit.amount) ?? ZERO, category: credit.category, merchant: credit.merchant, step: aggregation.get(String(doc.aggregation_account_id)) ?? 1 });
    }
  }
  const accounts = new Map((setting.accounts ?? []).map((a) => [a.account_id, a.amount]));
  if (accounts.size > 0) {
    const rows = await reader.rows('portfolio_transaction', {
      where: { account_id: { in: [...accounts.keys()] }, date: { gte: from, lte: until }, amount: { not: null } },
      and: (f) => notRoundedUp(f),
      order: byCreation,
    });
    const codes = new Map((await reader.byIds('transaction_code', [...new Set(rows.map((r) => r.doc.transaction_code_id))])).map((c) => [c.id, c.doc]));
    for (const { id, doc } of rows.filter((r) => codes.get(r.doc.transaction_code_id)?.is_deposit === false)) {
      spends.push({ entity: 'portfolio_transaction', id, doc, amount: decimalOf(doc.amount) ?? ZERO, category: doc.category, merchant: doc.merchant, step: accounts.get(doc.account_id) ?? 1 });
    }
  }
  return spends;
}

/**
 * Rounds up a setting's purchases of the period and asks its bank links for the total, split
 * by their weights, as funding requests into its account; the roundup record names them.
 * With update_transactions each purchase counted is marked (metadata.roundup_id), so it is
 * never rounded up again. All or nothing.
 */
export async function createRoundup(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, request: RoundupRequest): Promise<StoredRecord> {
  const [setting] = await reader.byIds('roundup_setting', [request.roundup_setting_id]);
  if (!setting) throw errors.invalidField({ field: 'roundup_setting_id', problem: `no roundup_setting with id ${request.roundup_setting_id}` });
  if (setting.doc.is_active === false) throw errors.inactiveSetting({ reason: `The roundup_setting ${setting.id} is not active` });
  const from = instant(request.transaction_start_date, 'transaction_start_date');
  const until = request.transaction_end_date === undefined ? undefined : instant(request.transaction_end_date, 'transaction_end_date');
  if (until !== undefined && until < from) throw errors.invalidField({ field: 'transaction_end_date', problem: 'must not be before transaction_start_date' });

  const counted = roundups(setting.doc, await spendsOf(reader, setting.doc, from, until));
  const total = counted.reduce((sum, c) => sum.plus(c.roundup), ZERO);
  const lines = setting.doc.bank_links;
  const links = new Map((await reader.byIds('bank_link', lines.map((l) => l.bank_link_id))).map((row) => [row.id, row]));
  const missing = lines.find((l) => !links.has(l.bank_link_id));
  if (missing) throw errors.missingBankLink({ reason: `The roundup_setting names bank_link ${missing.bank_link_id}, which is not there` });
  const amounts = splitByWeight(total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP), lines.map((l) => (decimalOf(l.weight) ?? ZERO).div(HUNDRED)));
  const funded: FundedSetting = setting.doc;

  return writer.writeTogether(origin, async ({ create, update }) => {
    const fundings: StoredRecord[] = [];
    for (const [i, line] of lines.entries()) {
      if (amounts[i].lte(0)) continue;
      fundings.push(await create('funding', fundingRequest(funded, links.get(line.bank_link_id)!, cents(amounts[i]), request.funding_start_date, 'roundup')));
    }
    const roundup = await create('roundup', {
      account_id: funded.account_id,
      client_id: funded.client_id,
      roundup_setting_id: setting.id,
      total_roundup_amount: cents(total),
      funding_requests: fundings.map((f) => ({ funding_id: f.id })),
    });
    if (request.update_transactions) {
      for (const { spend } of counted) {
        await update(spend.entity, spend.id, { metadata: { ...spend.doc.metadata, roundup_id: roundup.id } });
      }
    }
    return roundup;
  });
}
