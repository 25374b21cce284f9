import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';
import { fractionOut } from '../response-fields.ts';
import { createLogField, portfolioSourceFields } from './portfolio-fields.ts';
import { EVENT_NAMES } from './events.ts';

export const EventStudyRequest = defaultsOptional(
  Type.Object(
    {
      ...portfolioSourceFields(),
      events: Type.Union([Type.Array(Type.Union(EVENT_NAMES.map((e) => Type.Literal(e)))), Type.Null()], {
        default: null,
        description: 'Historical events to study; null for all of them. Their windows are listed in docs/proton-portfolio.md',
      }),
      create_log: createLogField(),
    },
    { additionalProperties: false },
  ),
);

const EventOutcome = Type.Object(
  {
    event: Type.String({ description: 'The event' }),
    window_start: Type.String({ format: 'date', description: 'First day of the event window' }),
    window_end: Type.String({ format: 'date', description: 'Last day of the event window' }),
    covered: Type.Boolean({ description: 'Whether every ticker has at least two prices in common within the window; the figures are null otherwise' }),
    start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'First priced day used' }),
    end_date: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Last priced day used' }),
    cumulative_return: Type.Union([fractionOut('Return of the portfolio over the window, rebalanced to its weights daily'), Type.Null()]),
    max_drawdown: Type.Union([fractionOut('Deepest fall below a running peak within the window (≤ 0)'), Type.Null()]),
    worst_day: Type.Union([fractionOut('Lowest daily return in the window'), Type.Null()]),
  },
  { additionalProperties: false, title: 'EventStudyOutcome' },
);

export const EventStudyResponse = Type.Object(
  {
    tickers: Type.Array(Type.String(), { description: 'Tickers of the portfolio studied' }),
    weights: Type.Array(Type.Number(), { description: 'Their weights, in the same order' }),
    events: Type.Array(EventOutcome, { description: 'One entry per event studied' }),
  },
  { additionalProperties: false },
);
