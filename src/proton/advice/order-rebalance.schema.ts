import { Type } from 'typebox';
import { defaultsOptional } from '../request-fields.ts';

const uuid = (description: string) => Type.Optional(Type.String({ format: 'uuid', description }));
const amount = (description: string) => Type.Number({ minimum: 0, default: 0, description });

export const ORDER_SCOPES = ['all', 'buy_only', 'sell_only'] as const;

export const OrderRebalanceRequest = defaultsOptional(
  Type.Object(
    {
      portfolio_id: uuid('The portfolio to rebalance; takes precedence over account_id'),
      account_id: uuid("The account whose portfolios are rebalanced, each to its own model; one of account_id and portfolio_id is required"),
      order_scope: Type.Unsafe<(typeof ORDER_SCOPES)[number]>({
        type: 'string',
        enum: [...ORDER_SCOPES],
        description: 'all: sell what is over target and buy what is under with the proceeds; buy_only: spend the cash above its target; sell_only: only trim what is over target',
      }),
      port_threshold: amount('Leave a portfolio alone unless one of its weights is more than this many percentage points off target'),
      buy_threshold: amount('Smallest buy worth placing, in money'),
      // The spec gives a minimum of 1 with a default of 0, which contradict; the default is kept.
      sell_threshold: amount('Smallest sale worth placing, in money'),
      buy_transaction_code_id: uuid('Transaction code of the buy orders; required when there is one'),
      sell_transaction_code_id: uuid('Transaction code of the sell orders; required when there is one'),
      cash_portfolio_id: uuid("Accepted for compatibility and must be readable (404 otherwise); each portfolio's cash is its model's is_cash holding"),
      commit_orders: Type.Boolean({ default: true, description: 'Accepted for compatibility; Deuterium\'s Proton proposes the orders and does not store them yet (see committed)' }),
      non_fractional: Type.Boolean({ default: false, description: 'Whole shares only' }),
      restrictions_on: Type.Boolean({ default: false, description: 'Leave alone what the security_exclusion records of the account\'s clients restrict from buying or selling' }),
      use_cash_available: Type.Boolean({ default: false, description: 'Let the cash above its target fund buys, besides the sale proceeds' }),
      use_strategic: Type.Boolean({ default: false, description: "Target the model's strategic weights instead of its current ones" }),
    },
    { additionalProperties: false },
  ),
);

const Order = Type.Object(
  {
    account_id: Type.String({ format: 'uuid', description: 'The account of the portfolio' }),
    portfolio_id: Type.String({ format: 'uuid', description: 'The portfolio the order rebalances' }),
    model_id: Type.Optional(Type.String({ format: 'uuid', description: "The portfolio's model, whose weights are the targets" })),
    security_id: Type.String({ format: 'uuid', description: 'The security to buy or sell' }),
    transaction_code_id: Type.String({ format: 'uuid', description: 'buy_transaction_code_id for a buy, sell_transaction_code_id for a sale' }),
    quantity: Type.Number({ exclusiveMinimum: 0, description: 'Shares to trade, rounded down: whole with non_fractional, else to eight places' }),
    price: Type.Number({ description: "The security's latest stored price" }),
    amount: Type.Number({ description: 'quantity × price; money, rounded to the cent' }),
    date: Type.String({ format: 'date', description: 'The day the orders were proposed (UTC)' }),
    order_ticket_id: Type.String({ format: 'uuid', description: 'Shared by all the orders of one request' }),
    order_type: Type.Unsafe<'rebalance' | 'buy_only' | 'sell_only'>({ type: 'string', enum: ['rebalance', 'buy_only', 'sell_only'], description: 'rebalance for order_scope all' }),
  },
  { additionalProperties: false, title: 'OrderRebalanceOrder' },
);

export const OrderRebalanceResponse = Type.Object(
  {
    orders: Type.Array(Order, { description: 'Sales first, then buys, portfolio by portfolio' }),
    committed: Type.Boolean({ description: 'Whether the orders were stored as Nucleus order records; always false on this server for now' }),
  },
  { additionalProperties: false, title: 'OrderRebalanceResult' },
);
