import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import type { AuthContext } from '../../platform/auth/tokens.ts';
import type { Row } from '../../platform/read/entity-reader.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { cents, Decimal, ratio, ZERO } from '../money.ts';
import { aggregationAccounts, balanceRecords, scopedTransactions, type BalanceRecord, type MoneyTransaction } from './aggregation-data.ts';
import { addDays, addMonths, monthStart, today } from '../calendar.ts';
import { isCashFlow } from './cash-flow.ts';
import { healthRatio, RATIO_NAMES, type HealthFigures } from './health-ratios.ts';
import { isAsset, netWorthOn } from './net-worth.ts';
import { FinancialHealthCheckRequest, FinancialHealthCheckResponse } from './financial-health-check.schema.ts';

type Body = Static<typeof FinancialHealthCheckRequest>;
type FigureName = keyof HealthFigures;

const FIGURES: FigureName[] = ['liquid_assets', 'non_liquid_assets', 'total_liabilities', 'short_term_liabilities', 'gross_annual_income', 'net_monthly_income', 'monthly_expenses'];

/** Revolving credit (a card, a credit line) falls due within the year; a mortgage or a loan does not. */
function isShortTerm(account: Row<'aggregation_account'>): boolean {
  const doc = account.doc;
  return doc.credit_limit !== undefined || /credit/i.test(`${doc.category ?? ''} ${doc.subcategory ?? ''}`);
}

function oneCurrency(items: readonly { currency?: string }[]): string | undefined {
  const currencies = [...new Set(items.map((i) => i.currency).filter((c): c is string => c !== undefined))].sort();
  if (currencies.length > 1) {
    throw new CalculationError('client_id', `the client's balances and transactions are in ${currencies.join(', ')}; give the figures in the request instead`);
  }
  return currencies[0];
}

/** The figures of a client's Nucleus records, as docs/proton-wellness.md defines them. */
async function nucleusFigures(nucleus: NucleusAccess, auth: AuthContext, clientId: string, lookback: number): Promise<{ figures: HealthFigures; currency?: string }> {
  const reader = EntityReader.asCaller(nucleus, auth);
  const day = today();
  const client = await reader.doc('client', clientId);
  const accounts = await aggregationAccounts(reader, { clientIds: [clientId] });
  const records: BalanceRecord[] = await balanceRecords(reader, accounts.map((a) => a.id), day);
  const months = { start: monthStart(addMonths(day, -lookback)), end: addDays(monthStart(day), -1) };
  const flows: MoneyTransaction[] = (await scopedTransactions(reader, { clientIds: [clientId] }, 'all', { range: months })).filter(isCashFlow);
  const currency = oneCurrency([...records, ...flows]);
  const { standings } = netWorthOn(day, accounts, records, (r) => r.balance);
  const total = (keep: (account: Row<'aggregation_account'>) => boolean) => standings.filter((s) => keep(s.account)).reduce((sum, s) => sum.plus(s.balance), ZERO);
  const perMonth = (flow: MoneyTransaction['flow']) => flows.filter((t) => t.flow === flow).reduce((sum, t) => sum.plus(t.amount), ZERO).div(lookback);
  return {
    currency,
    figures: {
      liquid_assets: total((a) => isAsset(a) && a.doc.is_cash === true),
      non_liquid_assets: total((a) => isAsset(a) && a.doc.is_cash !== true),
      total_liabilities: total((a) => !isAsset(a)),
      short_term_liabilities: total((a) => !isAsset(a) && isShortTerm(a)),
      gross_annual_income: typeof client.income === 'number' ? new Decimal(client.income) : null,
      net_monthly_income: perMonth('inflow'),
      monthly_expenses: perMonth('outflow'),
    },
  };
}

export function financialHealthCheckRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/financial_health_check',
    operationId: 'financialHealthCheck',
    tag: 'Financial Health',
    summary: 'Financial ratios held against targets',
    description:
      'Computes six ratios (liquidity against expenses and against liabilities, current ratio, assets against liabilities, ' +
      'savings against gross and against net income) from the figures given, or, for those left null, from the Nucleus ' +
      'records of client_id, and says whether each reaches its target. Formulas in docs/proton-wellness.md.',
    body: FinancialHealthCheckRequest,
    response: FinancialHealthCheckResponse,
    solve: async (body, auth) => {
      const missing = FIGURES.filter((name) => body[name] === null);
      const found = body.client_id && missing.length > 0 ? await nucleusFigures(nucleus, auth, body.client_id, body.lookback_periods) : undefined;
      const figures = Object.fromEntries(
        FIGURES.map((name) => [name, body[name] !== null ? new Decimal(body[name]!) : (found?.figures[name] ?? null)]),
      ) as unknown as HealthFigures;
      const ratios = Object.fromEntries(
        RATIO_NAMES.map((name) => {
          const target = body.ratio_targets[name];
          const outcome = healthRatio(name, figures, target);
          return [name, { value: outcome.value === null ? null : ratio(outcome.value), target, passed: outcome.passed }];
        }),
      ) as Record<string, { value: number | null; passed: boolean | null }>;
      return {
        currency_code: found?.currency ?? null,
        ratios,
        ratios_computed: Object.values(ratios).filter((r) => r.value !== null).length,
        ratios_passed: Object.values(ratios).filter((r) => r.passed === true).length,
        figures: Object.fromEntries(
          FIGURES.map((name) => {
            const value = figures[name];
            return [name, { value: value === null ? null : cents(value), source: body[name] !== null ? 'request' : value === null ? 'missing' : 'nucleus' }];
          }),
        ),
      };
    },
  });
}
