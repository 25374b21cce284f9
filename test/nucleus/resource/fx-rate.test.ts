import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

const PATH = '/nucleus/v1/resource/fx_rate';

function rate(from: string, to: string, date: string, exchange_rate: number) {
  return { currency_code_from: from, currency_code_to: to, date, exchange_rate };
}

describe('resource/fx_rate', () => {
  let server: TestServer;
  let other: { token: string };
  before(async () => {
    server = await startServer();
    other = await server.otherTenant();
  });
  after(() => server.close());

  it('stores rates and answers them as stored, dates in UTC', async () => {
    const sent = [rate('USD', 'EUR', '2024-01-01T00:00:00Z', 0.91), rate('USD', 'EUR', '2024-02-01T09:30:00+0100', 0.93)];
    const { status, body } = await server.request('POST', PATH, { body: sent });
    assert.equal(status, 201, JSON.stringify(body));
    assert.deepEqual(body, [{ ...sent[0], date: '2024-01-01T00:00:00.000Z' }, { ...sent[1], date: '2024-02-01T08:30:00.000Z' }]);
  });

  it('lists the latest rate of each pair, ordered by pair', async () => {
    await server.request('POST', PATH, {
      body: [rate('EUR', 'GBP', '2024-03-01T00:00:00Z', 0.85), rate('EUR', 'GBP', '2023-12-01T00:00:00Z', 0.87), rate('EUR', 'USD', '2024-01-15T00:00:00Z', 1.09)],
    });
    const { status, body } = await server.request('GET', PATH);
    assert.equal(status, 200);
    assert.deepEqual(body, [
      rate('EUR', 'GBP', '2024-03-01T00:00:00.000Z', 0.85),
      rate('EUR', 'USD', '2024-01-15T00:00:00.000Z', 1.09),
      rate('USD', 'EUR', '2024-02-01T08:30:00.000Z', 0.93),
    ]);
  });

  it('applies the filter before choosing the latest, so a date bound gives the rates then in force', async () => {
    const asOf = await server.request('GET', `${PATH}?filter=${encodeURIComponent('date=le=2024-01-31T23:59:59Z')}`);
    assert.deepEqual(asOf.body, [
      rate('EUR', 'GBP', '2023-12-01T00:00:00.000Z', 0.87),
      rate('EUR', 'USD', '2024-01-15T00:00:00.000Z', 1.09),
      rate('USD', 'EUR', '2024-01-01T00:00:00.000Z', 0.91),
    ]);
    const fromUsd = await server.request('GET', `${PATH}?filter=${encodeURIComponent('currency_code_from==USD')}`);
    assert.deepEqual(fromUsd.body, [rate('USD', 'EUR', '2024-02-01T08:30:00.000Z', 0.93)]);
    const cheap = await server.request('GET', `${PATH}?filter=${encodeURIComponent('exchange_rate=lt=0.9')}`);
    assert.deepEqual(cheap.body, [rate('EUR', 'GBP', '2024-03-01T00:00:00.000Z', 0.85)]);
  });

  it('replaces the rate of a pair and date sent again; within one request the last one wins', async () => {
    const date = '2025-06-30T16:00:00.000Z';
    await server.request('POST', PATH, { body: [rate('CHF', 'JPY', date, 170.1)] });
    const again = await server.request('POST', PATH, { body: [rate('CHF', 'JPY', date, 170.2), rate('CHF', 'JPY', date, 170.25)] });
    assert.equal(again.status, 201);
    const { body } = await server.request('GET', `${PATH}?filter=${encodeURIComponent('currency_code_from==CHF')}`);
    assert.deepEqual(body, [rate('CHF', 'JPY', date, 170.25)]);
  });

  it('keeps rates exactly as decimals', async () => {
    const precise = [0.1, 1.2345678901234567, 123456789.123456, 1e-9];
    await server.request('POST', PATH, { body: precise.map((r, i) => rate('SEK', 'NOK', `2020-01-0${i + 1}T00:00:00Z`, r)) });
    const stored = await server.db.query<{ exchange_rate: string }>(
      `SELECT exchange_rate::text AS exchange_rate FROM fx_rate WHERE currency_code_from = 'SEK' ORDER BY date`,
    );
    assert.deepEqual(stored.map((r) => r.exchange_rate), ['0.1', '1.2345678901234567', '123456789.123456', '0.000000001']);
    const { body } = await server.request('GET', `${PATH}?filter=${encodeURIComponent('currency_code_from==SEK')}`);
    assert.equal(body[0].exchange_rate, 1e-9);
  });

  it('refuses codes ISO 4217 does not list, naming the item and field', async () => {
    const unknown = await server.request('POST', PATH, { body: [rate('USD', 'EUR', '2024-01-01T00:00:00Z', 1), rate('USD', 'XYZ', '2024-01-01T00:00:00Z', 1)] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, '[1].currency_code_to');
    const malformed = await server.request('POST', PATH, { body: [rate('usd', 'EUR', '2024-01-01T00:00:00Z', 1)] });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.field, '[0].currency_code_from');
    // Nothing of a refused request is stored.
    const { body } = await server.request('GET', `${PATH}?filter=${encodeURIComponent('currency_code_to==XYZ,currency_code_from==usd')}`);
    assert.deepEqual(body, []);
  });

  it('refuses other malformed bodies, naming the field', async () => {
    const cases: [unknown, string | undefined][] = [
      [[rate('USD', 'EUR', '2024-01-01T00:00:00Z', 0)], '[0].exchange_rate'],
      [[rate('USD', 'EUR', '2024-01-01T00:00:00Z', -1.5)], '[0].exchange_rate'],
      [[{ ...rate('USD', 'EUR', '2024-01-01T00:00:00Z', 1), exchange_rate: 'high' }], '[0].exchange_rate'],
      [[rate('USD', 'EUR', '01/01/2024', 1)], '[0].date'],
      [[{ currency_code_from: 'USD', currency_code_to: 'EUR', exchange_rate: 1 }], '[0].date'],
      [[{ ...rate('USD', 'EUR', '2024-01-01T00:00:00Z', 1), exchange_rate: null }], '[0].exchange_rate'],
      [[], undefined],
      [rate('USD', 'EUR', '2024-01-01T00:00:00Z', 1), undefined],
    ];
    for (const [body, field] of cases) {
      const response = await server.request('POST', PATH, { body });
      assert.equal(response.status, 400, JSON.stringify(body));
      if (field) assert.equal(response.body.field, field, JSON.stringify(body));
    }
    // JSON that parses to Infinity, and a leap second, which the date-time format allows but no clock stores.
    const raw: [string, string][] = [
      ['[{"currency_code_from":"USD","currency_code_to":"EUR","date":"2024-01-01T00:00:00Z","exchange_rate":1e400}]', '[0].exchange_rate'],
      ['[{"currency_code_from":"USD","currency_code_to":"EUR","date":"2016-12-31T23:59:60Z","exchange_rate":1}]', '[0].date'],
    ];
    for (const [rawBody, field] of raw) {
      const response = await server.request('POST', PATH, { rawBody, headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 400, rawBody);
      assert.equal(response.body.field, field, rawBody);
    }
  });

  it('refuses a filter on an unknown field or with a wrongly typed value', async () => {
    for (const filter of ['rate==1', 'date=gt=yesterday', 'exchange_rate==high']) {
      const { status, body } = await server.request('GET', `${PATH}?filter=${encodeURIComponent(filter)}`);
      assert.equal(status, 400, filter);
      assert.equal(body.field, 'filter');
    }
  });

  it('keeps each tenant’s rates to itself', async () => {
    assert.deepEqual((await server.request('GET', PATH, { token: other.token })).body, []);
    const created = await server.request('POST', PATH, { token: other.token, body: [rate('USD', 'EUR', '2030-01-01T00:00:00Z', 2)] });
    assert.equal(created.status, 201);
    assert.deepEqual((await server.request('GET', PATH, { token: other.token })).body, [rate('USD', 'EUR', '2030-01-01T00:00:00.000Z', 2)]);
    const mine = await server.request('GET', `${PATH}?filter=${encodeURIComponent('currency_code_from==USD')}`);
    assert.deepEqual(mine.body, [rate('USD', 'EUR', '2024-02-01T08:30:00.000Z', 0.93)]);
  });

  it('lets only administrators store rates; everyone may read them', async () => {
    const support = await server.credential(['ROLE_SUPPORT']);
    const token = (await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const refused = await server.request('POST', PATH, { token, body: [rate('USD', 'EUR', '2024-01-01T00:00:00Z', 1)] });
    assert.equal(refused.status, 403);
    assert.equal((await server.request('GET', PATH, { token })).status, 200);
  });
});
