import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';
import { MAX_NESTING } from '../../../src/platform/http/nesting-depth.ts';

/** Bodies are written by hand: JSON.stringify would already have rounded a number a double cannot hold. */
const JSON_TYPE = { 'content-type': 'application/json' };

describe('numbers in JSON request bodies', () => {
  let server: TestServer;
  let transaction: Record<string, string>;
  let securityId: string;

  const create = async (entity: string, body: object): Promise<string> => {
    const result = await server.request('POST', `/nucleus/v1/${entity}`, { body });
    assert.equal(result.status, 201, `${entity}: ${JSON.stringify(result.body)}`);
    return result.body.id;
  };
  const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  /** The record's fields as the database holds them, as text: what jsonb keeps, not what a driver parses. */
  const storedText = async (table: string, id: string) =>
    (await server.db.query<{ doc: string }>(`SELECT doc::text AS doc FROM ${table} WHERE id = $1`, [id]))[0].doc;
  /** The response body as sent, before any JSON.parse could round it. */
  const rawGet = async (path: string) => {
    const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${await server.adminToken()}` } });
    assert.equal(response.status, 200);
    return response.text();
  };
  const post = (path: string, rawBody: string) => server.request('POST', path, { rawBody, headers: JSON_TYPE });
  /** A portfolio transaction body with the given extra fields, written as raw JSON text. */
  const transactionBody = (fields: string) =>
    `{"portfolio_id":"${transaction.portfolio_id}","account_id":"${transaction.account_id}","model_id":"${transaction.model_id}",` +
    `"transaction_code_id":"${transaction.transaction_code_id}","date":"2024-03-01T10:00:00Z",${fields}}`;

  before(async () => {
    server = await startServer();
    const account_type_id = await create('account_type', { name: 'Brokerage' });
    const account_id = await create('account', { name: 'Main', account_type_id });
    const model_id = await create('model', { name: 'Growth' });
    const portfolio_id = await create('portfolio', { name: 'P', account_id, model_id, percentage: 100 });
    const transaction_code_id = await create('transaction_code', { transaction_code: 'BUY', is_buy: true });
    transaction = { account_id, model_id, portfolio_id, transaction_code_id };
    securityId = await create('security', { name: 'Acme', ticker: 'ACME' });
  });
  after(() => server.close());

  it('refuses a number a double cannot keep as written with a 400 naming the field, and stores nothing', async () => {
    const transactionsBefore = await count('nucleus_portfolio_transaction');
    const pricesBefore = await count('nucleus_security_price');
    const cases: [string, string, string, RegExp][] = [
      ['/nucleus/v1/portfolio_transaction', transactionBody('"price":12345678901234567.89'), 'price', /at most 15/],
      ['/nucleus/v1/portfolio_transaction', transactionBody('"amount":9007199254740993'), 'amount', /at most 15/],
      ['/nucleus/v1/portfolio_transaction', transactionBody('"check":{"check_number":"7","check_amount":0.12345678901234567}'), 'check.check_amount', /at most 15/],
      ['/nucleus/v1/security_price', `{"security_id":"${securityId}","date":"2024-03-01T00:00:00Z","price":12345678901234567.89}`, 'price', /at most 15/],
      ['/nucleus/v1/security_price', `{"security_id":"${securityId}","date":"2024-03-01T00:00:00Z","price":1,"volume":1e400}`, 'volume', /too large/],
      ['/nucleus/v1/security_price', `{"security_id":"${securityId}","date":"2024-03-01T00:00:00Z","price":4.9e-324}`, 'price', /too close to zero/],
    ];
    for (const [path, rawBody, field, message] of cases) {
      const result = await post(path, rawBody);
      assert.equal(result.status, 400, rawBody);
      assert.equal(result.body.code, 'invalid_request');
      assert.equal(result.body.field, field, rawBody);
      assert.equal(result.body.errors.length, 1);
      assert.equal(result.body.errors[0].field, field);
      assert.match(result.body.errors[0].message, message);
      assert.match(result.body.message, new RegExp(`^Invalid request body: ${field.replace('.', '\\.')} `));
      assert.ok(result.body.request_id);
    }
    assert.equal(await count('nucleus_portfolio_transaction'), transactionsBefore);
    assert.equal(await count('nucleus_security_price'), pricesBefore);
  });

  it('checks JSON sent with a charset like any other', async () => {
    const result = await server.request('POST', '/nucleus/v1/security_price', {
      rawBody: `{"security_id":"${securityId}","date":"2024-03-03T00:00:00Z","price":0.1000000000000000055511151231257827}`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(result.status, 400);
    assert.equal(result.body.field, 'price');
  });

  it('refuses it on an update too, leaving the record as it was', async () => {
    const created = await post('/nucleus/v1/portfolio_transaction', transactionBody('"amount":10.25'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const path = `/nucleus/v1/portfolio_transaction/${created.body.id}`;
    const refused = await server.request('PUT', path, { rawBody: '{"amount":10.250000000000000001}', headers: JSON_TYPE });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.field, 'amount');
    assert.deepEqual((await server.request('GET', path)).body, created.body);
  });

  it('keeps a number of 15 significant digits exactly through POST, the database and GET', async () => {
    const fields = '"amount":12345678901234.5,"price":1234567890.12345,"quantity":-0.000123456789012345,"balance":999999999999999';
    const created = await post('/nucleus/v1/portfolio_transaction', transactionBody(fields));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stored = await storedText('nucleus_portfolio_transaction', created.body.id);
    const fetched = await rawGet(`/nucleus/v1/portfolio_transaction/${created.body.id}`);
    for (const literal of fields.split(',')) {
      assert.ok(stored.includes(literal.replace(':', ': ')), `jsonb holds ${literal}: ${stored}`);
      assert.ok(fetched.includes(literal), `GET answers ${literal}: ${fetched}`);
    }

    const price = await post('/nucleus/v1/security_price', `{"security_id":"${securityId}","date":"2024-03-02T00:00:00Z","price":123456789.012345,"high":-98765.4321}`);
    assert.equal(price.status, 201, JSON.stringify(price.body));
    const priceText = await rawGet(`/nucleus/v1/security_price/${price.body.id}`);
    assert.ok(priceText.includes('"price":123456789.012345'), priceText);
    assert.ok(priceText.includes('"high":-98765.4321'), priceText);
    const found = await server.request('GET', `/nucleus/v1/security_price?filter=${encodeURIComponent('price==123456789.012345')}`);
    assert.deepEqual(found.body.content.map((r: { id: string }) => r.id), [price.body.id]);
  });

  it('reads exponents, negative numbers and trailing zeros as their values', async () => {
    const created = await post('/nucleus/v1/portfolio_transaction', transactionBody('"amount":1e2,"price":-1.5E-3,"quantity":2.50e+1,"balance":-0,"check":{"check_number":"8","check_amount":1000.000000000000000000}'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const fetched = (await server.request('GET', `/nucleus/v1/portfolio_transaction/${created.body.id}`)).body;
    assert.equal(fetched.amount, 100);
    assert.equal(fetched.price, -0.0015);
    assert.equal(fetched.quantity, 25);
    assert.equal(fetched.balance, 0);
    assert.equal(fetched.check.check_amount, 1000);
  });

  it('names the item of a bulk body', async () => {
    const before = await count('nucleus_portfolio_transaction');
    const result = await post('/nucleus/v1/bulk/portfolio_transaction', `[${transactionBody('"amount":1')},${transactionBody('"amount":0.30000000000000001')}]`);
    assert.equal(result.status, 400, JSON.stringify(result.body));
    assert.equal(result.body.field, '[1].amount');
    assert.equal(await count('nucleus_portfolio_transaction'), before);
  });

  it('applies to Proton, Electron and Hydro bodies alike', async () => {
    const calculator = '/proton/v1/annuity_calculator/deposit_amount';
    const request = '"portfolio_return":0.05,"accumulation_horizon":10,"decumulation_horizon":20';
    const answered = await post(calculator, `{${request},"annuity_amount":10000.5}`);
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const tooPrecise = await post(calculator, `{${request},"annuity_amount":10000.000000000000001}`);
    assert.equal(tooPrecise.status, 400);
    assert.equal(tooPrecise.body.field, 'annuity_amount');

    const purchase = await post('/electron/v1/sandbox/card/purchase', `{"nucleus_card_id":"${randomUUID()}","amount":12.340000000000000001}`);
    assert.equal(purchase.status, 400);
    assert.equal(purchase.body.field, 'amount');
    const emptyBody = await server.request('PUT', `/electron/v1/card/client/${randomUUID()}`, { headers: JSON_TYPE, rawBody: '' });
    assert.notEqual(emptyBody.body.code, 'invalid_json', 'Electron still reads an empty JSON body as none');
    assert.notEqual(emptyBody.status, 400);

    const rpc = await post('/hydro/v1/rpc', '{"jsonrpc":"2.0","id":12345678901234567,"method":"eth_chainId"}');
    assert.equal(rpc.status, 400);
    assert.equal(rpc.body.field, 'id');
    // A 16-digit id a double holds exactly gets past the numbers to the schema, which then refuses the version.
    const exactId = await post('/hydro/v1/rpc', '{"jsonrpc":"1.0","id":1700000000000123,"method":"eth_chainId"}');
    assert.equal(exactId.status, 400);
    assert.equal(exactId.body.field, 'jsonrpc');
  });

  it('refuses a body nesting deeper than it could walk, in a bulk item too, before storing anything', async () => {
    const bulksBefore = await count('bulk_transaction');
    const clientsBefore = await count('nucleus_client');
    const client = (metadata: string) => `{"username":"deep-${randomUUID()}@example.com","client_type":"individual","metadata":${metadata}}`;
    const deepArrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(2_000)}"x"${'}'.repeat(2_000)}`;
    const cases: [string, string, string][] = [
      ['/nucleus/v1/bulk/client', `[${client(deepArrays)}]`, `[0].metadata${'[0]'.repeat(MAX_NESTING - 2)}`],
      ['/nucleus/v1/bulk/client', `[${client(deepObject)}]`, `[0].metadata${'.a'.repeat(MAX_NESTING - 2)}`],
      ['/nucleus/v1/client', client(deepObject), `metadata${'.a'.repeat(MAX_NESTING - 1)}`],
      ['/proton/v1/annuity_calculator/deposit_amount', `{"portfolio_return":${deepArrays}}`, `portfolio_return${'[0]'.repeat(MAX_NESTING - 1)}`],
    ];
    for (const [path, rawBody, field] of cases) {
      const result = await post(path, rawBody);
      assert.equal(result.status, 400, `${path}: ${JSON.stringify(result.body).slice(0, 300)}`);
      assert.equal(result.body.field, field);
      assert.match(result.body.message, new RegExp(`deeper than ${MAX_NESTING} levels`));
    }
    assert.equal(await count('bulk_transaction'), bulksBefore);
    assert.equal(await count('nucleus_client'), clientsBefore);

    const deepest = `${'{"a":'.repeat(MAX_NESTING - 1)}"x"${'}'.repeat(MAX_NESTING - 1)}`;
    const allowed = await post('/nucleus/v1/client', client(deepest));
    assert.equal(allowed.status, 400, 'a body at the limit is parsed and then judged by its schema');
    assert.equal(allowed.body.field, 'metadata.a');
    assert.doesNotMatch(allowed.body.message, /deeper than/);
  });
});
