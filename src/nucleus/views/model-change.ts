import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { errors } from '../../platform/http/errors.ts';
import { loadDated, type DatedRow } from '../../platform/read/dated-rows.ts';
import { Decimal, decimalOf, HUNDRED, ZERO } from '../../platform/money/money.ts';
import { MODEL_ASSET_SIZES, MODEL_HOLDINGS, SECURITY_PRICES } from './sources.ts';

export interface ModelHoldingChange {
  security_id: string;
  current_weight: number;
  strategic_weight: number;
}

/**
 * The change request: Hydrogen types it as an OrderReconcileRequest, of which only
 * non_fractional bears on a model; the rest are Deuterium's, all optional.
 */
export interface ModelChangeRequest {
  non_fractional?: boolean;
  date?: string;
  holdings?: ModelHoldingChange[];
  buy_transaction_code_id?: string;
  sell_transaction_code_id?: string;
}

/** A model valued at nothing recorded is traded as if it were worth this much, so its shares still say how weights moved. */
export const NOTIONAL_MODEL_VALUE = new Decimal(100);
const FRACTION_PLACES = 8;

/** Weights (percent) by security, the last correction of each day's line winning. */
function weights(rows: DatedRow[]): Map<string, Decimal> {
  const latest = new Map<string, DatedRow>();
  for (const row of rows) {
    const earlier = latest.get(String(row.security));
    if (!earlier || earlier.at <= row.at) latest.set(String(row.security), row);
  }
  return new Map([...latest].map(([security, row]) => [security, decimalOf(row.current_weight) ?? ZERO]));
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The transaction code of one side: the request's, else the tenant's first code of that side. */
async function codeFor(reader: EntityReader, field: 'buy_transaction_code_id' | 'sell_transaction_code_id', given: string | undefined): Promise<string> {
  const isBuy = field === 'buy_transaction_code_id';
  if (given) {
    if ((await reader.byIds('transaction_code', [given])).length === 0) throw errors.invalidField({ field, problem: `no transaction_code with id ${given}` });
    return given;
  }
  const [first] = await reader.rows('transaction_code', { where: { is_buy: isBuy }, order: (f) => `${f.column('create_date')}, ${f.column('id')}`, limit: 1 });
  if (!first) throw errors.invalidField({ field, problem: `is required: no transaction_code has is_buy ${isBuy}` });
  return first.id;
}

function validHoldings(holdings: ModelHoldingChange[]): void {
  const seen = new Set<string>();
  let total = ZERO;
  for (const [i, line] of holdings.entries()) {
    if (seen.has(line.security_id)) throw errors.invalidField({ field: `holdings[${i}].security_id`, problem: `names security ${line.security_id} twice` });
    seen.add(line.security_id);
    total = total.plus(line.current_weight);
  }
  if (total.gt(HUNDRED)) throw errors.invalidField({ field: 'holdings', problem: `current weights add up to ${total}, over 100` });
}

/**
 * Records a change of a model's composition as model transactions. The change is from the
 * model's holdings before to its holdings after: with `holdings`, from the latest snapshot as
 * of `date` to those holdings, which are stored as the model's snapshot of `date` (a security
 * left out is stored at weight 0); without, from the snapshot before the latest to the latest,
 * once. Each security whose current weight moved is bought or sold for the weight's change of
 * the model's value (its latest model_asset_size, else a notional 100) at its latest price.
 */
export async function changeModel(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, modelId: string, request: ModelChangeRequest): Promise<StoredRecord[]> {
  await reader.doc('model', modelId);
  let day: string;
  let before: Map<string, Decimal>;
  let after: Map<string, Decimal>;
  if (request.holdings) {
    validHoldings(request.holdings);
    day = (request.date ?? new Date().toISOString()).slice(0, 10);
    const known = new Set((await reader.byIds('security', request.holdings.map((h) => h.security_id))).map((s) => s.id));
    const unknown = request.holdings.findIndex((h) => !known.has(h.security_id));
    if (unknown >= 0) throw errors.invalidField({ field: `holdings[${unknown}].security_id`, problem: `no security with id ${request.holdings[unknown].security_id}` });
    before = weights(await loadDated(reader, MODEL_HOLDINGS, [modelId], { end: day }, { latestOnly: true }));
    after = new Map(request.holdings.map((h) => [h.security_id, new Decimal(h.current_weight)]));
  } else {
    const latest = await loadDated(reader, MODEL_HOLDINGS, [modelId], {}, { latestOnly: true });
    if (latest.length === 0) throw errors.noHoldings({ reason: `Model ${modelId} has no model_holding records to change from` });
    day = latest[0].day;
    const recorded = await reader.rows('model_transaction', { where: { model_id: modelId, date: day }, limit: 1 });
    if (recorded.length > 0) throw errors.alreadyRecorded({ reason: `The change of model ${modelId} on ${day} is recorded already` });
    before = weights(await loadDated(reader, MODEL_HOLDINGS, [modelId], { end: dayBefore(day) }, { latestOnly: true }));
    after = weights(latest);
  }

  const moved = [...new Set([...before.keys(), ...after.keys()])]
    .map((securityId) => ({ securityId, change: (after.get(securityId) ?? ZERO).minus(before.get(securityId) ?? ZERO) }))
    .filter((m) => !m.change.isZero());
  const [size] = await loadDated(reader, MODEL_ASSET_SIZES, [modelId], { end: day }, { latestOnly: true });
  const value = decimalOf(size?.value) ?? NOTIONAL_MODEL_VALUE;
  const priceRows = await loadDated(reader, SECURITY_PRICES, moved.map((m) => m.securityId), { end: day }, { latestOnly: true });
  const prices = new Map<string, Decimal>();
  for (const row of [...priceRows].sort((a, b) => (a.at < b.at ? -1 : 1))) prices.set(row.group, decimalOf(row.price)!);
  const unpriced = moved.filter((m) => !prices.has(m.securityId)).map((m) => m.securityId);
  if (unpriced.length > 0) throw errors.missingPrice({ reason: `No security_price for ${unpriced.join(', ')} on or before ${day}` });
  const buy = moved.some((m) => m.change.gt(0)) ? await codeFor(reader, 'buy_transaction_code_id', request.buy_transaction_code_id) : undefined;
  const sell = moved.some((m) => m.change.lt(0)) ? await codeFor(reader, 'sell_transaction_code_id', request.sell_transaction_code_id) : undefined;

  return writer.writeTogether(origin, async ({ create }) => {
    if (request.holdings) {
      for (const line of request.holdings) await create('model_holding', { model_id: modelId, date: day, ...line });
      for (const [securityId, weight] of before) {
        if (!after.has(securityId) && !weight.isZero()) await create('model_holding', { model_id: modelId, security_id: securityId, date: day, current_weight: 0, strategic_weight: 0 });
      }
    }
    const transactions: StoredRecord[] = [];
    for (const { securityId, change } of moved) {
      const price = prices.get(securityId)!;
      const shares = change.abs().div(HUNDRED).times(value).div(price).toDecimalPlaces(request.non_fractional ? 0 : FRACTION_PLACES, Decimal.ROUND_DOWN);
      if (shares.isZero()) continue;
      transactions.push(
        await create('model_transaction', {
          model_id: modelId,
          security_id: securityId,
          date: day,
          shares: shares.toNumber(),
          price: price.toNumber(),
          transaction_code_id: change.gt(0) ? buy : sell,
        }),
      );
    }
    return transactions;
  });
}
