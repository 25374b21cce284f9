import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { CalculationError } from '../calculation-error.ts';
import { alignReturns, loadPriceSeries, requireNucleusData, requireTicker, securitiesByTicker, type MarketFrequency } from '../market/market-data.ts';
import { resolvePortfolio, sourceField } from '../market/portfolio-source.ts';
import { MARKET_PERIODS_PER_YEAR, portfolioReturnSeries } from '../market/statistics.ts';
import { fitFactors, scenarioResponse, type FactorMove } from './factor-model.ts';
import { ScenarioRequest, ScenarioResponse, SensitivityRequest, SensitivityResponse } from './factor-analysis.schema.ts';

type Factor = FactorMove & { ticker: string };
type AnalysisBody = Static<typeof SensitivityRequest> & { frequency_interval: MarketFrequency };

/** Regresses the portfolio on the factors and reports the portfolio's response to their moves. */
async function analyse(reader: EntityReader, body: AnalysisBody, factors: readonly Factor[], factorField: (k: number) => string) {
  requireNucleusData(body.market_data_source);
  const portfolio = await resolvePortfolio(reader, body);
  const field = sourceField(body);
  await securitiesByTicker(reader, portfolio.tickers, field);
  for (const [k, factor] of factors.entries()) await requireTicker(reader, factor.ticker, factorField(k));
  const tickers = [...new Set([...portfolio.tickers, ...factors.map((f) => f.ticker)])];
  const series = await loadPriceSeries(reader, tickers, { ...body, field });
  for (const [k, factor] of factors.entries()) {
    if (series[tickers.indexOf(factor.ticker)].days.length < 2) throw new CalculationError(factorField(k), `${factor.ticker} has fewer than two prices in the window`);
  }
  const returns = alignReturns(series, body.frequency_interval, field);
  const weights = tickers.map((t) => {
    const i = portfolio.tickers.indexOf(t);
    return i < 0 ? 0 : portfolio.weights[i];
  });
  const p = portfolioReturnSeries(returns, weights);
  const fit = fitFactors(p, factors.map((f) => returns.returns[tickers.indexOf(f.ticker)]), factors.map((f) => f.lag), factors.length === 1 ? factorField(0) : 'scenario');
  const perYear = body.frequency_interval === 'day' ? body.trading_days_per_year : MARKET_PERIODS_PER_YEAR[body.frequency_interval];
  const effects = factors.map((f, k) => ({ ...f, beta: fit.betas[k], portfolio_change: scenarioResponse([fit.betas[k]], [f]) }));
  return {
    intercept: fit.intercept,
    r_squared: fit.rSquared,
    residual_risk: fit.residualSd * Math.sqrt(perYear),
    observations: fit.observations,
    start_date: returns.dates[0],
    end_date: returns.dates[returns.dates.length - 1],
    portfolio_change: scenarioResponse(fit.betas, factors),
    effects,
  };
}

export function factorAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Static<typeof SensitivityRequest>>(app, nucleus, {
    path: '/sensitivity_analysis',
    operationId: 'sensitivityAnalysis',
    tag: 'Simulations',
    summary: "Portfolio response to one factor's move",
    description:
      "Regresses the portfolio's returns on a factor's returns (a security tracking the factor) and reports the portfolio's expected change when the factor moves by change_amount over change_duration periods. Formulas: docs/proton-portfolio.md.",
    body: SensitivityRequest,
    response: SensitivityResponse,
    solve: async (body, auth) => {
      const { effects, ...fit } = await analyse(EntityReader.asCaller(nucleus, auth), body as AnalysisBody, [body.sensitivity_factor], () => 'sensitivity_factor.ticker');
      return { ...fit, factor: effects[0] };
    },
  });
  registerOperation<Static<typeof ScenarioRequest>>(app, nucleus, {
    path: '/scenario_analysis',
    operationId: 'scenarioAnalysis',
    tag: 'Simulations',
    summary: 'Portfolio response to moves of several factors together',
    description:
      "Regresses the portfolio's returns on several factors' returns together and reports the portfolio's expected change when the factors move as the scenario says, each over its duration and after its lag. Formulas: docs/proton-portfolio.md.",
    body: ScenarioRequest,
    response: ScenarioResponse,
    solve: async (body, auth) => {
      const { effects, ...fit } = await analyse(EntityReader.asCaller(nucleus, auth), body as unknown as AnalysisBody, body.scenario, (k) => `scenario[${k}].ticker`);
      return { ...fit, factors: effects };
    },
  });
}
