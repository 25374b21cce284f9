import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { cents, Decimal } from '../money.ts';
import { today } from '../calendar.ts';
import { healthRatios, type Figures } from './health-check.ts';
import { FIGURES, HealthCheckRequest, HealthCheckResponse } from './health-check.schema.ts';
import { reportCurrency } from './report-currency.ts';
import { readStatements, type Statement } from './statements.ts';
import { requireSubject } from './subject.ts';
import { BUSINESS_TAG } from './tag.ts';

type Body = Static<typeof HealthCheckRequest>;

export function healthCheckRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/business/financial_health_check',
    operationId: 'businessFinancialHealthCheck',
    tag: BUSINESS_TAG,
    summary: 'Business financial health check: ratios against targets',
    description:
      'Computes return on equity and on assets, debt to equity, profit margin, debt ratio and asset turnover from the figures in the request, ' +
      "or, for those left null, from the latest of the business's or client's financial statements matching the accounting method and period fields, " +
      'and compares each ratio with its target. Formulas: docs/proton-business.md.',
    body: HealthCheckRequest,
    response: HealthCheckResponse,
    solve: async (body, auth) => {
      await requireSubject(nucleus, auth, body, false);
      const reader = EntityReader.asCaller(nucleus, auth);
      const missing = FIGURES.filter((name) => body[name] === null);
      const statements = missing.length > 0 && (body.business_id || body.client_id) ? await readStatements(reader, body) : [];
      const sources = new Map<string, Statement>();
      for (const name of missing) {
        const latest = [...statements].reverse().find((s) => s.stats.has(name));
        if (latest) sources.set(name, latest);
      }
      const used = [...new Set(sources.values())];
      const currency = await reportCurrency(reader, body, used.map((s) => s.currency), used.reduce((last, s) => (s.date > last ? s.date : last), today()));
      // A statement's figures are converted at the rate of its statement_date.
      const figures = Object.fromEntries(
        FIGURES.map((name) => {
          const given = body[name];
          const statement = sources.get(name);
          if (given !== null) return [name, new Decimal(given)];
          return [name, statement ? currency.convert(statement.stats.get(name) as Decimal, statement.currency, statement.date) : null];
        }),
      ) as Figures;
      return {
        currency_code: currency.code,
        figures: Object.fromEntries(
          FIGURES.map((name) => {
            const statement = sources.get(name);
            const value = figures[name];
            return [
              name,
              {
                value: value === null ? null : cents(value),
                source: body[name] !== null ? 'request' : statement ? 'statement' : null,
                statement_id: statement?.id ?? null,
                statement_date: statement?.date ?? null,
              },
            ];
          }),
        ),
        ...healthRatios(figures, body.ratio_targets),
      };
    },
  });
}
