import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { NucleusAccess } from '../nucleus-records.ts';
import { registerOperation } from '../operation-route.ts';
import { calendarPeriods, checkedSpan, today } from '../calendar.ts';
import { reportCurrency } from './report-currency.ts';
import { analyzeStat } from './statement-analysis.ts';
import { StatementAnalysisRequest, StatementAnalysisResponse } from './statement-analysis.schema.ts';
import { readStatements } from './statements.ts';
import { requireSubject } from './subject.ts';
import { BUSINESS_TAG } from './tag.ts';

type Body = Static<typeof StatementAnalysisRequest>;

export function statementAnalysisRoutes(app: FastifyInstance, nucleus: NucleusAccess): void {
  registerOperation<Body>(app, nucleus, {
    path: '/business/financial_statement_analysis',
    operationId: 'financialStatementAnalysis',
    tag: BUSINESS_TAG,
    summary: 'Financial statement analysis: line items and how they moved',
    description:
      "Reads the business's or client's financial statements matching the accounting method, statement type and period fields, dated in the window, " +
      'and reports each requested line item at the earliest and latest statement, its change and growth, and optionally its value per period. Formulas: docs/proton-business.md.',
    body: StatementAnalysisRequest,
    response: StatementAnalysisResponse,
    solve: async (body, auth) => {
      await requireSubject(nucleus, auth, body, true);
      const end = body.end_date ?? today();
      if (body.start_date) checkedSpan(body.start_date, end);
      const reader = EntityReader.asCaller(nucleus, auth);
      const statements = await readStatements(reader, {
        ...body,
        statement_type: body.statement_type === 'all' ? undefined : body.statement_type,
        from: body.start_date,
        to: end,
      });
      const currency = await reportCurrency(reader, body, statements.map((s) => s.currency), end);
      const start = body.start_date ?? statements[0]?.date ?? null;
      const history = body.show_history ? (start ? calendarPeriods({ start, end }, body.history_frequency_interval) : []) : null;
      // A statement's figures are converted at the rate of its statement_date.
      const stats = body.stat_names.map((name) =>
        analyzeStat(
          name,
          statements.flatMap((s) => {
            const value = s.stats.get(name);
            return value === undefined ? [] : [{ date: s.date, value: currency.convert(value, s.currency, s.date) }];
          }),
          history,
        ),
      );
      return {
        currency_code: currency.code,
        accounting_method: body.accounting_method,
        analysis_start: start,
        analysis_end: end,
        statement_count: statements.length,
        stats,
      };
    },
  });
}
