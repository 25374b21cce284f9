import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { Doc, StoredRecord } from '../../platform/entity/store.ts';
import { errors } from '../../platform/http/errors.ts';
import { fundingRequest, type FundedSetting } from './funding-requests.ts';
import { cents, Decimal, decimalOf, HUNDRED, ONE, ZERO } from '../../platform/money/money.ts';
import type { Row, ViewReader } from './reader.ts';

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

/** A spending transaction as the roundup sees it, wherever it was recorded. */
export interface Spend {
  entity: 'portfolio_transaction' | 'aggregation_account_transaction';
  id: string;
  doc: Doc;
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
export function roundups(setting: Doc, spends: readonly Spend[]): { spend: Spend; roundup: Decimal }[] {
  const categories = new Map(((setting.categories ?? []) as (Step & { category: string })[]).map((c) => [c.category.toLowerCase(), c]));
  const merchants = new Map(((setting.merchants ?? []) as (Step & { merchant: string })[]).map((m) => [m.merchant.toLowerCase(), m]));
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

const notRoundedUp = "r.doc->'metadata'->>'roundup_id' IS NULL";

/** The setting's purchases in the period not yet rounded up: bank debits of its aggregation accounts, outflows of its accounts. */
async function spendsOf(reader: ViewReader, setting: Doc, from: string, until: string | undefined): Promise<Spend[]> {
  const spends: Spend[] = [];
  const aggregation = new Map(((setting.aggregation_accounts ?? []) as (Step & { aggregation_account_id: string })[]).map((a) => [a.aggregation_account_id, a.amount]));
  if (aggregation.size > 0) {
    const rows = await reader.select('aggregation_account_transaction', (p) =>
      `r.doc->>'aggregation_account_id' = ANY(${p.add([...aggregation.keys()])}::text[])
         AND r.doc->>'transaction_date' >= ${p.add(from)} ${until ? `AND r.doc->>'transaction_date' <= ${p.add(until)}` : ''}
         AND lower(r.doc->'bank_credit'->>'transaction_type') = 'debit' AND ${notRoundedUp}`,
    { tail: 'ORDER BY r.create_date, r.id' });
    for (const row of rows) {
      const credit = row.doc.bank_credit as Doc;
      spends.push({ entity: 'aggregation_account_transaction', id: row.id, doc: row.doc, amount: decimalOf(credit.amount as number) ?? ZERO, category: credit.category as string | undefined, merchant: credit.merchant as string | undefined, step: aggregation.get(String(row.doc.aggregation_account_id)) ?? 1 });
    }
  }
  const accounts = new Map(((setting.accounts ?? []) as (Step & { account_id: string })[]).map((a) => [a.account_id, a.amount]));
  if (accounts.size > 0) {
    const rows = await reader.select('portfolio_transaction', (p) =>
      `r.doc->>'account_id' = ANY(${p.add([...accounts.keys()])}::text[])
         AND r.doc->>'date' >= ${p.add(from)} ${until ? `AND r.doc->>'date' <= ${p.add(until)}` : ''}
         AND r.doc->>'amount' IS NOT NULL AND ${notRoundedUp}`,
    { tail: 'ORDER BY r.create_date, r.id' });
    const codes = new Map((await reader.byIds('transaction_code', [...new Set(rows.map((r) => String(r.doc.transaction_code_id)))])).map((c) => [c.id, c.doc]));
    for (const row of rows.filter((r: Row) => codes.get(String(r.doc.transaction_code_id))?.is_deposit === false)) {
      spends.push({ entity: 'portfolio_transaction', id: row.id, doc: row.doc, amount: decimalOf(row.doc.amount as number) ?? ZERO, category: row.doc.category as string | undefined, merchant: row.doc.merchant as string | undefined, step: accounts.get(String(row.doc.account_id)) ?? 1 });
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
export async function createRoundup(reader: ViewReader, writer: EntityWriter, origin: WriteOrigin, request: RoundupRequest): Promise<StoredRecord> {
  const [setting] = await reader.byIds('roundup_setting', [request.roundup_setting_id]);
  if (!setting) throw errors.invalidField({ field: 'roundup_setting_id', problem: `no roundup_setting with id ${request.roundup_setting_id}` });
  if (setting.doc.is_active === false) throw errors.inactiveSetting({ reason: `The roundup_setting ${setting.id} is not active` });
  const from = instant(request.transaction_start_date, 'transaction_start_date');
  const until = request.transaction_end_date === undefined ? undefined : instant(request.transaction_end_date, 'transaction_end_date');
  if (until !== undefined && until < from) throw errors.invalidField({ field: 'transaction_end_date', problem: 'must not be before transaction_start_date' });

  const counted = roundups(setting.doc, await spendsOf(reader, setting.doc, from, until));
  const total = counted.reduce((sum, c) => sum.plus(c.roundup), ZERO);
  const lines = (setting.doc.bank_links ?? []) as { bank_link_id: string; weight: number }[];
  const links = new Map((await reader.byIds('bank_link', lines.map((l) => l.bank_link_id))).map((row) => [row.id, row]));
  const missing = lines.find((l) => !links.has(l.bank_link_id));
  if (missing) throw errors.missingBankLink({ reason: `The roundup_setting names bank_link ${missing.bank_link_id}, which is not there` });
  const amounts = splitByWeight(total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP), lines.map((l) => (decimalOf(l.weight) ?? ZERO).div(HUNDRED)));
  const funded = setting.doc as unknown as FundedSetting;

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
        await update(spend.entity, spend.id, { metadata: { ...((spend.doc.metadata ?? {}) as Doc), roundup_id: roundup.id } });
      }
    }
    return roundup;
  });
}
