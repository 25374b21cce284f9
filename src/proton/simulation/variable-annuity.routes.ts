import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { CalculationError } from '../calculation-error.ts';
import { periodsPerYear } from '../frequency.ts';
import { goalFlows } from './goal-plan.ts';
import { checkWork } from './monte-carlo.ts';
import { keptPaths, meanOf, percentiles } from './percentiles.ts';
import { portfolioMoments, requirePortfolioIds } from './market-inputs.ts';
import { freshSeed } from './random.ts';
import { toCents } from './rounding.ts';
import { runAnnuity, type AnnuityRun, type RateBand } from './variable-annuity.ts';
import { VariableAnnuityRequest, VariableAnnuityResponse } from './variable-annuity.schema.ts';

type Body = Static<typeof VariableAnnuityRequest>;

/** An annual rate as the rate of one period of which there are perYear a year. */
const perPeriod = (annual: number, perYear: number) => (1 + annual) ** (1 / perYear) - 1;

function rateBands(body: Body, perYear: number, steps: number): RateBand[] {
  return body.guaranteed_rate_benefit.map((band, i) => {
    if (band.max_rate !== null && band.max_rate < band.min_rate) throw new CalculationError(`guaranteed_rate_benefit[${i}].max_rate`, 'is below min_rate');
    if (band.end_period !== null && band.end_period < band.start_period) throw new CalculationError(`guaranteed_rate_benefit[${i}].end_period`, 'is before start_period');
    return {
      from: band.start_period,
      to: band.end_period ?? steps,
      floor: perPeriod(band.min_rate, perYear),
      cap: band.max_rate === null ? Number.POSITIVE_INFINITY : perPeriod(band.max_rate, perYear),
    };
  });
}

export function variableAnnuityRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/variable_annuity',
    operationId: 'variableAnnuity',
    tag: 'Annuities',
    summary: 'Variable annuity: accumulation and payout',
    description:
      "Simulates a variable annuity's sub-account, whose return and risk come from the price history of the portfolio named: log-normal returns held within the guaranteed rate bands and deposits through accumulation, the guaranteed accumulation benefit at annuitization, then payments at the start of each period whose first is the balance over the annuity-due factor at annuitization_rate and which follow the sub-account's return relative to that rate. Reports the mean, median or a percentile of each figure.",
    body: VariableAnnuityRequest,
    response: VariableAnnuityResponse,
    solve: async (body, auth) => {
      await requirePortfolioIds(nucleus, auth, body);
      const perYear = body.frequency_interval === 'day' ? body.trading_days_per_year : periodsPerYear(body.frequency_interval);
      const accumulation = body.accumulation_horizon * perYear;
      const decumulation = body.decumulation_horizon * perYear;
      checkWork(body.n, accumulation + decumulation);
      const market = await portfolioMoments(EntityReader.asCaller(nucleus, auth), body, body.frequency_interval);
      const deposit = body.deposit_schedule;
      const flows = goalFlows({
        perYear,
        accumulation,
        decumulation,
        deposits: deposit
          ? [{ amount: deposit.deposit_amount, perYear: periodsPerYear(deposit.deposit_frequency_interval), inflation: deposit.adjust_deposit_for_inflation ? body.inflation_rate : 0, start: 'a_start', startPeriod: 0, end: 'a_end', endPeriod: 0 }]
          : [],
        withdrawals: [],
        withdrawalTax: 0,
        compoundingRate: null,
      });
      const run: AnnuityRun = {
        n: body.n,
        seed: body.seed ?? freshSeed(),
        accumulation,
        decumulation,
        periodMean: market.mean,
        periodRisk: market.deviation,
        initialBalance: body.initial_balance,
        flows,
        bands: rateBands(body, perYear, accumulation + decumulation),
        guaranteedBalance: body.guaranteed_accumulation_benefit,
        assumedRate: perPeriod(body.annuitization_rate, perYear),
        perYear,
        inflation: body.inflation_rate,
      };
      const percentile = body.result_type === 'median' ? 50 : body.result_type === 'custom' ? body.p : null;
      let kept: Uint32Array | null = null;
      if (body.remove_outliers) kept = keptPaths(runAnnuity(run).annuitized);
      const statistic = (values: Float64Array) => (percentile === null ? meanOf(values, kept) : percentiles(values, kept, [percentile])[0]);
      const afterTax = 1 - body.tax_rate;
      const projection: { period: number; phase: 'accumulation' | 'payout'; deposits: number; payment: number; balance: number }[] = [];
      const paths = runAnnuity(run, ({ step, balances, payments }) => {
        projection.push({
          period: step,
          phase: step > accumulation ? 'payout' : 'accumulation',
          deposits: toCents(step > accumulation ? 0 : flows.deposits[step] ?? 0),
          payment: toCents(statistic(payments) * afterTax),
          balance: toCents(statistic(balances)),
        });
      });
      let topped = 0;
      for (const i of kept ?? paths.toppedUp.keys()) topped += paths.toppedUp[i];
      return {
        statistic: percentile === null ? 'mean' : `p${percentile}`,
        accumulation_balance: toCents(statistic(paths.annuitized)),
        accumulation_benefit_probability: topped / (kept ? kept.length : body.n),
        first_payment: projection[accumulation + 1].payment,
        total_payments: toCents(statistic(paths.totalPayments) * afterTax),
        real_total_payments: toCents(statistic(paths.realPayments) * afterTax),
        portfolio: { tickers: market.tickers, weights: market.weights, period_return: market.mean, period_risk: market.deviation },
        projection,
        paths: body.n,
        paths_kept: kept ? kept.length : body.n,
        seed: run.seed,
        inputs: body,
      };
    },
  });
}
