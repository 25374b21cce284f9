import type { TypedRoutes } from '../../platform/http/typed-routes.ts';
import { Type } from 'typebox';
import type { EntityRecord } from '../../platform/entity/entity-records.ts';
import { EntityReader } from '../../platform/read/entity-reader.ts';
import type { JsonSchema } from '../../platform/entity/schemas.ts';
import { compileFilter } from '../../platform/list/filter.ts';
import { offsetOf, pageOf } from '../../platform/list/paging.ts';
import { errorResponses, pageSchema } from '../../platform/openapi/shared-schemas.ts';
import { converterFor } from '../../platform/money/fx.ts';
import { latestValues } from './latest-values.ts';
import { cents, ZERO, type Decimal } from '../../platform/money/money.ts';
import { ordered } from './ordering.ts';
import { ownedPortfolio } from './ownership.ts';
import { listParams, param, query, type ViewListQuery } from './params.ts';
import type { ViewRoutesOptions } from './routes.ts';

const optionalString = () => Type.Optional(Type.String());
const CardBalanceVO = Type.Object(
  {
    balance: Type.Number({ description: "Latest value of the card's portfolio, rounded to the cent" }),
    balance_available: Type.Optional(Type.Number()),
    balance_timestamp: Type.String({ format: 'date-time' }),
    currency_code: optionalString(),
  },
  { title: 'CardBalanceVO', additionalProperties: false },
);
const ClientBusinessCardVO = Type.Object(
  {
    client_details: Type.Optional(
      Type.Object(
        {
          client_id: Type.String({ format: 'uuid' }),
          first_name: optionalString(),
          middle_name: optionalString(),
          last_name: optionalString(),
          title: optionalString(),
          email: optionalString(),
          status: optionalString(),
          create_date: Type.String({ format: 'date-time' }),
        },
        { title: 'ClientCardVO', additionalProperties: false },
      ),
    ),
    business_details: Type.Optional(
      Type.Object(
        {
          business_id: Type.String({ format: 'uuid' }),
          legal_name: Type.String(),
          dba_name: optionalString(),
          email: optionalString(),
          website: optionalString(),
          address: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
        },
        { title: 'BusinessDetailsVO', additionalProperties: false },
      ),
    ),
    card_details: Type.Array(
      Type.Object(
        {
          card_id: Type.String({ format: 'uuid' }),
          card_holder_name: Type.String(),
          card_name: Type.String(),
          card_type: Type.String(),
          card_issuance: Type.String(),
          card_network: optionalString(),
          mask: optionalString(),
          expiry_date: Type.Optional(Type.String({ format: 'date' })),
          prepaid_amount: Type.Optional(Type.Number()),
          status: optionalString(),
          balance: Type.Optional(CardBalanceVO),
        },
        { title: 'CardDetailsVO', additionalProperties: false },
      ),
    ),
    total_balance: Type.Array(
      Type.Object(
        { currency_code: optionalString(), total_balance: Type.Number(), total_balance_available: Type.Number() },
        { title: 'ClientBusinessTotalCardBalanceVO', additionalProperties: false },
      ),
      { description: 'The balances added up per currency (one entry with currency_conversion)' },
    ),
  },
  { title: 'ClientBusinessCardVO', additionalProperties: false },
);

/** Card holders (a client, or a business for cards held by none) with their cards and balances, one page of holders. */
async function cardholderOverview(reader: EntityReader, q: ViewListQuery, cardSchema: JsonSchema) {
  const cards = await reader.records('card', { and: (_, p) => (q.filter ? compileFilter(q.filter, cardSchema, new Set(['metadata']), p) : 'true') });
  const sorted = ordered(cards.map((record) => ({ record })), cardSchema, q.order_by, q.ascending).map((c) => c.record);
  const holders = new Map<string, EntityRecord<'card'>[]>();
  for (const card of sorted) {
    const key = card.client_id ? `client ${card.client_id}` : card.business_id ? `business ${card.business_id}` : `card ${card.id}`;
    holders.set(key, [...(holders.get(key) ?? []), card]);
  }
  const pageHolders = [...holders.values()].slice(offsetOf(q), offsetOf(q) + q.size);
  const pageCards = pageHolders.flat();
  const portfolios = await reader.byIds('portfolio', [...new Set(pageCards.map((c) => c.portfolio_id))]);
  const values = await latestValues(reader, portfolios.map((p) => ownedPortfolio(p.id, p.doc)));
  const valueOf = (card: EntityRecord<'card'>) => values.get(card.portfolio_id);
  const lastDay = [...values.values()].reduce((max, v) => (v.day > max ? v.day : max), '');
  const converter = await converterFor(reader, q.currency_conversion, [...values.values()].map((v) => v.currency), lastDay);
  const clientIds = pageCards.map((c) => c.client_id).filter(Boolean);
  const clients = new Map((await reader.records('client', { and: (f, p) => `${f.column('id')} = ANY(${p.add(clientIds)}::uuid[])` })).map((c) => [c.id, c]));
  const businessIds = pageCards.map((c) => c.business_id ?? clients.get(String(c.client_id))?.business_id).filter(Boolean);
  const businesses = new Map((await reader.byIds('business', [...new Set(businessIds.map(String))])).map((b) => [b.id, b.doc]));

  const content = pageHolders.map((held) => {
    const client = held[0].client_id ? clients.get(String(held[0].client_id)) : undefined;
    const businessId = String(held[0].business_id ?? client?.business_id ?? '');
    const business = businesses.get(businessId);
    const totals = new Map<string, { currency?: string; balance: Decimal; available: Decimal }>();
    const details = held.map((card) => {
      const value = valueOf(card);
      const balance = value && {
        day: value.day,
        timestamp: value.timestamp,
        currency: q.currency_conversion ?? value.currency,
        balance: converter.convert(value.value, value.currency, value.day),
        available: value.available && converter.convert(value.available, value.currency, value.day),
      };
      if (balance) {
        const total = totals.get(balance.currency ?? '') ?? { currency: balance.currency, balance: ZERO, available: ZERO };
        total.balance = total.balance.plus(balance.balance);
        total.available = total.available.plus(balance.available ?? balance.balance);
        totals.set(balance.currency ?? '', total);
      }
      return {
        card_id: card.id,
        card_holder_name: card.card_holder_name,
        card_name: card.card_name,
        card_type: card.card_type,
        card_issuance: card.card_issuance,
        card_network: card.card_network,
        mask: card.mask,
        expiry_date: card.expiry_date,
        prepaid_amount: card.prepaid_amount,
        status: card.status,
        ...(balance
          ? {
              balance: {
                balance: cents(balance.balance),
                ...(balance.available ? { balance_available: cents(balance.available) } : {}),
                balance_timestamp: balance.timestamp,
                ...(balance.currency ? { currency_code: balance.currency } : {}),
              },
            }
          : {}),
      };
    });
    return {
      ...(client
        ? {
            client_details: {
              client_id: client.id,
              first_name: client.first_name,
              middle_name: client.middle_name,
              last_name: client.last_name,
              title: client.title,
              email: client.email,
              status: client.status,
              create_date: client.create_date,
            },
          }
        : {}),
      ...(business
        ? { business_details: { business_id: businessId, legal_name: business.legal_name, dba_name: business.dba_name, email: business.email, website: business.website, address: business.address } }
        : {}),
      card_details: details,
      total_balance: [...totals.values()].map((t) => ({
        ...(t.currency ? { currency_code: t.currency } : {}),
        total_balance: cents(t.balance),
        total_balance_available: cents(t.available),
      })),
    };
  });
  return pageOf(content, holders.size, q);
}

/** GET /card/cardholder_overview. */
export function cardholderOverviewRoutes(app: TypedRoutes, options: ViewRoutesOptions): void {
  const cardSchema = options.stores.get('card')!.schemas.record as JsonSchema;
  app.get('/card/cardholder_overview', {
    schema: {
      tags: ['Card'],
      summary: 'Card holders with their cards and balances',
      description:
        "One entry per card holder (the card's client, or its business when no client holds it) with the holder's details, each card with " +
        "its balance (the latest value of the portfolio it draws on) and the balances added up per currency. filter, order_by and " +
        'ascending apply to the cards; paging counts holders. With currency_conversion, balances are converted at the stored FX rate of their date.',
      operationId: 'get_cardholder_overview',
      querystring: query({ ...listParams(options.maxPageSize, 'update_date'), currency_conversion: param.currency_conversion }),
      response: { 200: pageSchema(ClientBusinessCardVO, 'ClientBusinessCardVO'), ...errorResponses },
    },
    handler: async (request) => cardholderOverview(EntityReader.asCaller(options, request.auth), request.query, cardSchema),
  });
}
