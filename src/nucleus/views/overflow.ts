import type { EntityWriter, WriteOrigin } from '../../platform/entity/writer.ts';
import type { StoredRecord } from '../../platform/entity/store.ts';
import type { EntityReader } from '../../platform/read/entity-reader.ts';
import { errors } from '../../platform/http/errors.ts';
import { fundingRequest, today, type FundedSetting } from './funding-requests.ts';
import { cents, Decimal, decimalOf, ZERO } from '../../platform/money/money.ts';

/** OverflowVO, as Hydrogen names its fields. */
export interface OverflowRequest {
  overflow_setting_id?: string;
  funding_start_date?: string;
  update_balances?: boolean;
}

interface BankLinkLine {
  bank_link_id: string;
  amount: number;
  max?: number;
}

/**
 * What overflows from each bank link of a setting: its balance (the available balance where
 * known) above the line's amount, capped at the line's max, rounded down to the cent so no
 * more is asked for than is there. A link with no balance recorded overflows nothing.
 */
export function overflowOf(balance: Decimal | undefined, line: BankLinkLine): Decimal {
  if (!balance) return ZERO;
  let excess = balance.minus(decimalOf(line.amount) ?? ZERO);
  const max = decimalOf(line.max);
  if (max) excess = Decimal.min(excess, max);
  return excess.gt(0) ? excess.toDecimalPlaces(2, Decimal.ROUND_DOWN) : ZERO;
}

/**
 * Sweeps what overflows from a setting's bank links into its account: one funding request per
 * link with something to move, and an overflow record naming them and their total. With
 * update_balances the links' balances are lowered by what they sent. All or nothing.
 */
export async function createOverflow(reader: EntityReader, writer: EntityWriter, origin: WriteOrigin, request: OverflowRequest): Promise<StoredRecord> {
  const settingId = request.overflow_setting_id;
  if (!settingId) throw errors.invalidField({ field: 'overflow_setting_id', problem: 'is required' });
  const [setting] = await reader.byIds('overflow_setting', [settingId]);
  if (!setting) throw errors.invalidField({ field: 'overflow_setting_id', problem: `no overflow_setting with id ${settingId}` });
  if (setting.doc.is_active === false) throw errors.inactiveSetting({ reason: `The overflow_setting ${settingId} is not active` });
  const lines = setting.doc.bank_links;
  const links = new Map((await reader.byIds('bank_link', lines.map((l) => l.bank_link_id))).map((row) => [row.id, row]));
  const sweeps = lines.map((line) => {
    const link = links.get(line.bank_link_id);
    if (!link) throw errors.missingBankLink({ reason: `The overflow_setting names bank_link ${line.bank_link_id}, which is not there` });
    const balance = decimalOf(link.doc.available_balance ?? link.doc.balance);
    return { link, amount: overflowOf(balance, line) };
  });
  const moving = sweeps.filter((s) => s.amount.gt(0));
  const total = moving.reduce((sum, s) => sum.plus(s.amount), ZERO);
  const startDate = request.funding_start_date ?? today();
  const funded: FundedSetting = setting.doc;

  return writer.writeTogether(origin, async ({ create, update }) => {
    const fundings: StoredRecord[] = [];
    for (const { link, amount } of moving) {
      fundings.push(await create('funding', fundingRequest(funded, link, cents(amount), startDate, 'overflow')));
      if (!request.update_balances) continue;
      const lowered: Record<string, number> = {};
      for (const field of ['balance', 'available_balance'] as const) {
        const value = decimalOf(link.doc[field]);
        if (value) lowered[field] = cents(value.minus(amount));
      }
      await update('bank_link', link.id, lowered);
    }
    return create('overflow', {
      account_id: funded.account_id,
      client_id: funded.client_id,
      overflow_setting_id: settingId,
      total_overflow_amount: cents(total),
      funding_requests: fundings.map((f) => ({ funding_id: f.id })),
      update_balances: request.update_balances === true,
    });
  });
}
