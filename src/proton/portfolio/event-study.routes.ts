import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { registerOperation } from '../operation-route.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { CalculationError } from '../calculation-error.ts';
import { loadAssetReturns, requireNucleusData, securitiesByTicker } from '../market/market-data.ts';
import { resolvePortfolio, sourceField } from '../market/portfolio-source.ts';
import { portfolioReturnSeries } from '../market/statistics.ts';
import { cumulativeReturn, maxDrawdown } from './performance-stats.ts';
import { EVENT_NAMES, EVENT_WINDOWS } from './events.ts';
import { EventStudyRequest, EventStudyResponse } from './event-study.schema.ts';

type Body = Static<typeof EventStudyRequest>;

export function eventStudyRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/event_study',
    operationId: 'eventStudy',
    tag: 'Simulations',
    summary: 'Portfolio returns through historical market events',
    description:
      "Replays the portfolio over each historical event's window of stored prices: its return over the window, its deepest drawdown and its worst day. Windows and formulas: docs/proton-portfolio.md.",
    body: EventStudyRequest,
    response: EventStudyResponse,
    solve: async (body, auth) => {
      requireNucleusData(body.market_data_source);
      const reader = EntityReader.asCaller(nucleus, auth);
      const { tickers, weights } = await resolvePortfolio(reader, body);
      await securitiesByTicker(reader, tickers, sourceField(body));
      const events = [];
      for (const event of body.events ?? EVENT_NAMES) {
        const window = EVENT_WINDOWS[event];
        const base = { event, window_start: window.start, window_end: window.end };
        try {
          const returns = await loadAssetReturns(reader, tickers, { start_date: window.start, end_date: window.end, frequency: 'day', use_proxy_data: body.use_proxy_data });
          const portfolio = [...portfolioReturnSeries(returns, weights)];
          events.push({
            ...base,
            covered: true,
            start_date: returns.startDate ?? null,
            end_date: returns.dates[returns.dates.length - 1],
            cumulative_return: cumulativeReturn(portfolio),
            max_drawdown: maxDrawdown(portfolio),
            worst_day: Math.min(...portfolio),
          });
        } catch (error) {
          // An event the stored prices do not reach is reported as not covered, not as a failed request.
          if (!(error instanceof CalculationError)) throw error;
          events.push({ ...base, covered: false, start_date: null, end_date: null, cumulative_return: null, max_drawdown: null, worst_day: null });
        }
      }
      return { tickers, weights, events };
    },
  });
}
