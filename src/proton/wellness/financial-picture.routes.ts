import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { cents, ratio, ZERO, type Decimal } from '../money.ts';
import { addMonths } from '../calendar.ts';
import { aggregationAccounts, balanceRecords, inCurrency, requestClients, settleCurrency } from './aggregation-data.ts';
import { change } from './cash-flow.ts';
import { netWorthOn, type NetWorth, type Standing } from './net-worth.ts';
import { FinancialPictureRequest, FinancialPictureResponse } from './financial-picture.schema.ts';
import { windowOf } from './wellness-fields.ts';

type Body = Static<typeof FinancialPictureRequest>;

/** start_date is a day to compare from, not the first day of a window: a year before end_date to the day. */
function yearBefore(end: string): string {
  return addMonths(end, -12);
}

function changeOf(start: Decimal, end: Decimal) {
  const { change: difference, changePercent } = change(end, start);
  return { start: cents(start), end: cents(end), change: cents(difference), change_percent: changePercent === null ? null : ratio(changePercent) };
}

function breakdown(standings: Standing[], total: Decimal) {
  const categories = new Map<string | null, Standing[]>();
  for (const s of standings) {
    const key = s.account.doc.category ?? null;
    categories.set(key, [...(categories.get(key) ?? []), s]);
  }
  return [...categories]
    .map(([category, members]) => ({ category, members, balance: members.reduce((sum, s) => sum.plus(s.balance), ZERO) }))
    .sort((a, b) => b.balance.comparedTo(a.balance))
    .map(({ category, members, balance }) => ({
      category,
      balance: cents(balance),
      share: total.isZero() ? 0 : ratio(balance.div(total)),
      accounts: members.map((s) => ({
        aggregation_account_id: s.account.id,
        account_name: String(s.account.doc.account_name),
        institution_name: String(s.account.doc.institution_name),
        balance: cents(s.balance),
        balance_date: s.day,
      })),
    }));
}

const totals = (worth: NetWorth) => ({ total_assets: cents(worth.assets), total_liabilities: cents(worth.liabilities), net_worth: cents(worth.assets.minus(worth.liabilities)) });

export function financialPictureRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/financial_picture',
    operationId: 'financialPicture',
    tag: 'Personal Financial Management',
    summary: 'Net worth: assets and liabilities by category, and over time',
    description:
      "Takes the latest balance of each of the client's (or household's) aggregation accounts on end_date, adds up assets and " +
      'liabilities (accounts with is_asset false) by category, and optionally shows their change since start_date and their ' +
      'history. See docs/proton-wellness.md.',
    body: FinancialPictureRequest,
    response: FinancialPictureResponse,
    solve: async (body, auth) => {
      if (!body.client_id && !body.household_id) throw new CalculationError('client_id', 'name a client_id or a household_id');
      const reader = EntityReader.asCaller(nucleus, auth);
      const window = windowOf(body.start_date, body.end_date, yearBefore);
      const accounts = await aggregationAccounts(reader, { clientIds: await requestClients(reader, body) });
      const records = (await balanceRecords(reader, accounts.map((a) => a.id), window.end)).filter((r) => !body.currency_code || r.currency === body.currency_code);
      const currency = await settleCurrency(reader, records.map((r) => ({ currency: r.currency, day: window.end })), body.currency_conversion);
      // A balance is worth what its currency is worth on the day it is counted.
      const on = (day: string) => netWorthOn(day, accounts, records, (r) => inCurrency(currency, r.balance, r.currency, day));
      const now = on(window.end);
      const days = [window.start, ...new Set(records.map((r) => r.day).filter((d) => d > window.start && d < window.end)), window.end];
      const start = body.show_change ? on(window.start) : undefined;
      return {
        currency_code: currency.code ?? null,
        as_of_date: window.end,
        ...totals(now),
        ...(body.show_category_breakdown
          ? { asset_details: breakdown(now.standings.filter((s) => s.isAsset), now.assets), liability_details: breakdown(now.standings.filter((s) => !s.isAsset), now.liabilities) }
          : {}),
        ...(start
          ? {
              change: {
                start_date: window.start,
                end_date: window.end,
                net_worth: changeOf(start.assets.minus(start.liabilities), now.assets.minus(now.liabilities)),
                total_assets: changeOf(start.assets, now.assets),
                total_liabilities: changeOf(start.liabilities, now.liabilities),
              },
            }
          : {}),
        ...(body.show_history ? { history: [...new Set(days)].map((day) => ({ date: day, ...totals(on(day)) })) } : {}),
      };
    },
  });
}
