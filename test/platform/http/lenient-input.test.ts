import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, startServer, type TestServer } from '../../support/server.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const BASIC = `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`).toString('base64')}`;

const username = () => `lenient-${randomBytes(4).toString('hex')}@example.com`;

describe('requests read as Hydrogen read them', () => {
  let server: TestServer;
  const count = async (table: string) => Number((await server.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const createClient = async (fields: Record<string, unknown>) =>
    server.request('POST', '/nucleus/v1/client', { body: { username: username(), client_type: 'individual', ...fields } });

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('reads a bodiless request with a JSON content type, and a DELETE with {} as its body, as having no body', async () => {
    const first = await createClient({});
    const second = await createClient({});
    const listed = await server.request('GET', '/nucleus/v1/client', { headers: JSON_TYPE });
    assert.equal(listed.status, 200);
    const bare = await server.request('DELETE', `/nucleus/v1/client/${first.body.id}`, { headers: JSON_TYPE, rawBody: '' });
    assert.equal(bare.status, 204, JSON.stringify(bare.body));
    const empty = await server.request('DELETE', `/nucleus/v1/client/${second.body.id}`, { body: {} });
    assert.equal(empty.status, 204, JSON.stringify(empty.body));
    const none = await server.request('POST', '/nucleus/v1/client', { headers: JSON_TYPE, rawBody: '' });
    assert.equal(none.status, 400, 'a create still needs its body');
    assert.equal(none.body.code, 'invalid_request');
  });

  it('reads null as not sent, on create and on update, and a required field sent as null as missing', async () => {
    const created = await createClient({ first_name: 'Ada', middle_name: null, password: null, income: null, address: [{ address_line1: '1 Main', address_line2: null, city: 'Boston', state: 'MA', country: 'US', type: 'home' }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal('middle_name' in created.body, false);
    assert.equal('address_line2' in created.body.address[0], false);
    const updated = await server.request('PUT', `/nucleus/v1/client/${created.body.id}`, { body: { first_name: null, last_name: 'Lovelace' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.first_name, 'Ada', 'null left the field as it was');
    assert.equal(updated.body.last_name, 'Lovelace');

    const before = await count('nucleus_client');
    const missing = await server.request('POST', '/nucleus/v1/client', { body: { username: null, client_type: 'individual' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'username');
    assert.match(missing.body.message, /username is required/);
    assert.equal(await count('nucleus_client'), before);
  });

  it('ignores unknown fields at any depth and names them in a header', async () => {
    const created = await createClient({ clientType: 'individual', address: [{ address_line1: '1 Main', city: 'Boston', state: 'MA', country: 'US', type: 'home', town: 'x' }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get('deuterium-ignored-fields'), 'clientType, address[0].town');
    assert.equal('clientType' in created.body, false);
    const read = await server.request('GET', `/nucleus/v1/client/${created.body.id}`);
    assert.equal(read.headers.get('deuterium-ignored-fields'), null);
    const calculated = await server.request('POST', '/proton/v1/annuity_calculator/deposit_amount', {
      body: { portfolio_return: 0.05, accumulation_horizon: 10, decumulation_horizon: 20, annuity_amount: 10000, annuityAmount: 1 },
    });
    assert.equal(calculated.status, 200, JSON.stringify(calculated.body));
    assert.equal(calculated.headers.get('deuterium-ignored-fields'), 'annuityAmount');
  });

  it('refuses an unknown field naming it, and stores nothing, when STRICT_REQUEST_FIELDS is set', async () => {
    const strict = await startServer({ strictRequestFields: true });
    try {
      const before = Number((await strict.db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_client'))[0].n);
      const refused = await strict.request('POST', '/nucleus/v1/client', { body: { username: username(), client_type: 'individual', clientType: 'x' } });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.field, 'clientType');
      assert.match(refused.body.message, /clientType is not a known field/);
      assert.equal(Number((await strict.db.query<{ n: string }>('SELECT count(*) AS n FROM nucleus_client'))[0].n), before);
      const nulls = await strict.request('POST', '/nucleus/v1/client', { body: { username: username(), client_type: 'individual', middle_name: null } });
      assert.equal(nulls.status, 201, 'strict mode is about unknown fields, not nulls');
    } finally {
      await strict.close();
    }
  });

  it('reads booleans case-insensitively in query strings and bodies, and nothing else as a boolean', async () => {
    for (const value of ['true', 'True', 'TRUE', 'false', 'False']) {
      const listed = await server.request('GET', `/nucleus/v1/client?ascending=${value}&size=1`);
      assert.equal(listed.status, 200, value);
      assert.equal(listed.body.sort[0].ascending, value.toLowerCase() === 'true', value);
    }
    const wrong = await server.request('GET', '/nucleus/v1/client?ascending=yes');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.field, 'ascending');
    const created = await createClient({ is_verified: 'True' });
    assert.equal(created.status, 201);
    assert.equal(created.body.is_verified, true);
  });

  it('reads a plain decimal written as text as the number, and refuses every other wrong type', async () => {
    const created = await createClient({ income: '70000', total_net_worth: '1250000.5' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.income, 70000);
    assert.equal(created.body.total_net_worth, 1250000.5);
    const before = await count('nucleus_client');
    for (const [fields, field] of [
      [{ income: 'abc' }, 'income'],
      [{ income: '70,000' }, 'income'],
      [{ income: '700.5' }, 'income'],
      [{ total_net_worth: '12345678901234567.89' }, 'total_net_worth'],
      [{ first_name: 5 }, 'first_name'],
      [{ address: { city: 'Boston' } }, 'address'],
    ] as const) {
      const refused = await createClient(fields);
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.equal(refused.body.field, field, JSON.stringify(refused.body));
    }
    assert.equal(await count('nucleus_client'), before);
  });

  it('reads dates and date-times in the forms the SDKs write, and answers one canonical form', async () => {
    const client = await createClient({ date_of_birth: '1990-05-17T00:00:00.000Z' });
    assert.equal(client.body.date_of_birth, '1990-05-17');
    const late = await createClient({ date_of_birth: '1990-05-17T23:30:00-05:00' });
    assert.equal(late.body.date_of_birth, '1990-05-17', 'the calendar date as written, not converted to UTC');
    const forms: [string, string][] = [
      ['2024-01-03', '2024-01-03T00:00:00.000Z'],
      ['2024-01-03T10:20:30', '2024-01-03T10:20:30.000Z'],
      ['2024-01-03T10:20', '2024-01-03T10:20:00.000Z'],
      ['2018-06-28T18:17:23.579+0000', '2018-06-28T18:17:23.579Z'],
      ['2024-01-03T10:20:30+02:00', '2024-01-03T08:20:30.000Z'],
    ];
    for (const [sent, answered] of forms) {
      const score = await server.request('POST', '/nucleus/v1/score', { body: { score_type: 'credit_score', score_value: '700', score_time_stamp: sent } });
      assert.equal(score.status, 201, `${sent}: ${JSON.stringify(score.body)}`);
      assert.equal(score.body.score_time_stamp, answered, sent);
    }
    for (const [fields, field] of [
      [{ date_of_birth: '1990-13-45' }, 'date_of_birth'],
      [{ date_of_birth: 'yesterday' }, 'date_of_birth'],
      [{ date_of_birth: '1990-05-17T25:00:00Z' }, 'date_of_birth'],
    ] as const) {
      const refused = await createClient(fields);
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.equal(refused.body.field, field);
    }
    const badTime = await server.request('POST', '/nucleus/v1/score', { body: { score_type: 'credit_score', score_value: '1', score_time_stamp: '2024-01-03T10:20:30+25:00' } });
    assert.equal(badTime.status, 400);
    assert.equal(badTime.body.field, 'score_time_stamp');
  });

  it('reads an enum value in another case as the declared value, and still refuses an unknown one', async () => {
    const score = await server.request('POST', '/nucleus/v1/score', { body: { score_type: 'CREDIT_SCORE', score_value: '700' } });
    assert.equal(score.status, 201, JSON.stringify(score.body));
    assert.equal(score.body.score_type, 'credit_score');
    const refused = await server.request('POST', '/nucleus/v1/score', { body: { score_type: 'fico', score_value: '700' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.field, 'score_type');
  });

  it("reads a client's authorities as a comma-separated string, as Hydrogen's docs send them", async () => {
    const created = await createClient({ authorities: 'ROLE_CLIENT, ROLE_ADVISOR' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.authorities, ['ROLE_CLIENT', 'ROLE_ADVISOR']);
    const single = await createClient({ authorities: 'ROLE_CLIENT' });
    assert.deepEqual(single.body.authorities, ['ROLE_CLIENT']);
    const refused = await createClient({ authorities: 'ROLE_CLIENT,ROLE_KING' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.field, 'authorities[1]');
  });

  it('matches paths with a trailing slash, any charset of JSON, and answers JSON whatever Accept says', async () => {
    const created = await server.request('POST', '/nucleus/v1/client/', {
      rawBody: JSON.stringify({ username: username(), client_type: 'individual' }),
      headers: { 'content-type': 'application/json;charset=UTF-8' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const read = await server.request('GET', `/nucleus/v1/client/${created.body.id}/`, { headers: { accept: 'application/xml' } });
    assert.equal(read.status, 200);
    assert.match(read.headers.get('content-type') ?? '', /^application\/json/);
    const form = await server.request('POST', '/nucleus/v1/client', { rawBody: 'username=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415, 'the data APIs take JSON only');
  });

  it('refuses a NUL character anywhere in a request, naming the field, and stores nothing', async () => {
    const before = await count('nucleus_client');
    const cases: [string, string, string | undefined, string][] = [
      ['POST', '/nucleus/v1/client', `{"username":"a\\u0000b","client_type":"individual"}`, 'username'],
      ['POST', '/nucleus/v1/client', `{"username":"${username()}","client_type":"individual","metadata":{"k":"v\\u0000"}}`, 'metadata.k'],
      ['POST', '/nucleus/v1/client', `{"username":"${username()}","client_type":"individual","metadata":{"k\\u0000":"v"}}`, 'metadata.k\u0000'],
      ['POST', '/nucleus/v1/bulk/client', `[{"username":"${username()}","client_type":"individual","address":[{"city":"\\u0000"}]}]`, '[0].address[0].city'],
      ['GET', `/nucleus/v1/client?filter=${encodeURIComponent('first_name==a\u0000b')}`, undefined, 'filter'],
      ['POST', '/proton/v1/annuity_calculator/deposit_amount', `{"portfolio_return":0.05,"accumulation_horizon":10,"decumulation_horizon":20,"note\\u0000":1}`, 'note\u0000'],
      ['POST', '/hydro/v1/application', `{"name":"app\\u0000"}`, 'name'],
    ];
    for (const [method, path, rawBody, field] of cases) {
      const result = await server.request(method, path, rawBody === undefined ? {} : { rawBody, headers: JSON_TYPE });
      assert.equal(result.status, 400, `${path}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.code, 'invalid_request');
      assert.equal(result.body.field, field);
      assert.match(result.body.message, /NUL/);
    }
    assert.equal(await count('nucleus_client'), before);
  });

  it('issues tokens where the SDKs look for them on a host without .com, and serves nothing else there', async () => {
    const post = (path: string, headers: Record<string, string> = {}, rawBody?: string) =>
      server.request('POST', path, { token: null, headers: { authorization: BASIC, ...headers }, ...(rawBody === undefined ? {} : { rawBody }) });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const issued = [
      await post('/oauth/token?grant_type=client_credentials'),
      await post('/nucleus/v1/oauth/token?grant_type=client_credentials'),
      await post('/proton/v1/oauth/token', form, 'grant_type=client_credentials'),
      await post('/?grant_type=client_credentials'),
      await post('/', form, 'grant_type=client_credentials&scope=read'),
      await post('/nucleus/v1?grant_type=client_credentials'),
      await post('/electron/v1/?grant_type=client_credentials'),
    ];
    for (const result of issued) {
      assert.equal(result.status, 200, JSON.stringify(result.body));
      const used = await server.request('GET', '/nucleus/v1/client?size=1', { token: result.body.access_token });
      assert.equal(used.status, 200);
    }
    const wrongSecret = await server.request('POST', '/?grant_type=client_credentials', {
      token: null,
      headers: { authorization: `Basic ${Buffer.from(`${ADMIN_CLIENT_ID}:wrong`).toString('base64')}` },
    });
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error, 'invalid_client');
    const noHeader = await post('/client-token');
    assert.equal(noHeader.status, 400);
    assert.equal(noHeader.body.error, 'invalid_request');
    const badClientToken = await post('/hydro/v1', { 'client-token': 'Bearer not.a.jwt' });
    assert.equal(badClientToken.status, 400);
    assert.equal(badClientToken.body.access_token, undefined);
    for (const path of ['/', '/nucleus/v1']) {
      const nothing = await post(path);
      assert.equal(nothing.status, 404, path);
      assert.equal(nothing.body.code, 'not_found');
    }
    const spec = await server.request('GET', '/openapi.json', { token: null });
    assert.ok(spec.body.paths['/authorization/v1/oauth/token']);
    assert.equal(spec.body.paths['/oauth/token'], undefined, 'the SDK aliases are not documented as operations of their own');
  });
});
