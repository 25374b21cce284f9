import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

describe('lists: paging, ordering and filters', () => {
  let server: TestServer;
  const ids: Record<string, string> = {};
  const people = [
    { username: 'ann', first_name: 'Ann', income: 50000, is_verified: true, date_of_birth: '1980-05-01', city: 'Boston', group: ['gold'] },
    { username: 'bob', first_name: 'Bob', income: 75000, is_verified: false, date_of_birth: '1990-01-15', city: 'Chicago', group: ['silver'] },
    { username: 'cat', first_name: 'Cathy', income: 120000, is_verified: true, date_of_birth: '1975-11-30', city: 'Boston', group: [] },
    { username: 'dan', first_name: 'Dan', income: 30000, is_verified: false, date_of_birth: '2000-07-04', city: 'New York', group: ['gold', 'vip'] },
    { username: 'eve', first_name: "Eve O'Hara", is_verified: true, city: 'Denver', group: [] },
  ];

  before(async () => {
    server = await startServer({ maxPageSize: 50 });
    for (const p of people) {
      const created = await server.request('POST', '/nucleus/v1/client', {
        body: {
          username: p.username,
          client_type: 'individual',
          first_name: p.first_name,
          ...(p.income !== undefined ? { income: p.income } : {}),
          is_verified: p.is_verified,
          ...(p.date_of_birth ? { date_of_birth: p.date_of_birth } : {}),
          group: p.group,
          address: [{ address_line1: '1 Main St', city: p.city, state: 'XX', country: 'US', type: 'home' }],
          metadata: { tier: p.username },
        },
      });
      assert.equal(created.status, 201);
      ids[p.username] = created.body.id;
    }
  });
  after(() => server.close());

  async function usernames(query: string): Promise<string[]> {
    const result = await server.request('GET', `/nucleus/v1/client?${query}`);
    assert.equal(result.status, 200, `${query}: ${JSON.stringify(result.body)}`);
    return result.body.content.map((c: { username: string }) => c.username).sort();
  }
  const filter = (f: string) => usernames(`size=50&filter=${encodeURIComponent(f)}`);

  it('returns Hydrogen page containers with defaults', async () => {
    const result = await server.request('GET', '/nucleus/v1/client');
    assert.deepEqual(Object.keys(result.body).sort(), [
      'content', 'first', 'last', 'number', 'number_of_elements', 'size', 'sort', 'total_elements', 'total_pages',
    ]);
    assert.equal(result.body.size, 25);
    assert.equal(result.body.number, 0);
    assert.equal(result.body.total_elements, 5);
    assert.deepEqual(result.body.sort, [
      { direction: 'DESC', property: 'update_date', ignore_case: false, null_handling: 'NATIVE', ascending: false, descending: true },
    ]);
    assert.deepEqual(
      result.body.content.map((c: { username: string }) => c.username),
      ['eve', 'dan', 'cat', 'bob', 'ann'],
      'newest update first by default',
    );
  });

  it('pages with page and size', async () => {
    const pages = [];
    for (let page = 0; page < 3; page++) {
      const result = await server.request('GET', `/nucleus/v1/client?size=2&page=${page}&order_by=username&ascending=true`);
      pages.push(result.body);
    }
    assert.deepEqual(pages.map((p) => p.content.map((c: { username: string }) => c.username)), [['ann', 'bob'], ['cat', 'dan'], ['eve']]);
    assert.deepEqual(pages.map((p) => [p.first, p.last, p.number_of_elements, p.total_pages]), [
      [true, false, 2, 3],
      [false, false, 2, 3],
      [false, true, 1, 3],
    ]);
    const beyond = await server.request('GET', '/nucleus/v1/client?size=2&page=9');
    assert.deepEqual(beyond.body.content, []);
    assert.equal(beyond.body.last, true);
  });

  it('orders by any field, numbers as numbers, nested fields with dots', async () => {
    const byIncome = await server.request('GET', '/nucleus/v1/client?order_by=income&ascending=true');
    assert.deepEqual(byIncome.body.content.map((c: { username: string }) => c.username), ['dan', 'ann', 'bob', 'cat', 'eve']);
    const desc = await server.request('GET', '/nucleus/v1/client?order_by=income');
    assert.deepEqual(desc.body.content.map((c: { username: string }) => c.username), ['cat', 'bob', 'ann', 'dan', 'eve'], 'missing values last');
    const byDate = await server.request('GET', '/nucleus/v1/client?order_by=create_date&ascending=true');
    assert.deepEqual(byDate.body.content.map((c: { username: string }) => c.username), ['ann', 'bob', 'cat', 'dan', 'eve']);
    assert.equal(byDate.body.sort[0].property, 'create_date');
    const byEmployer = await server.request('GET', '/nucleus/v1/client?order_by=employment.employer');
    assert.equal(byEmployer.status, 200);
  });

  it('checks paging parameters', async () => {
    for (const [query, field] of [
      ['size=51', 'size'],
      ['size=0', 'size'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['ascending=maybe', 'ascending'],
      ['order_by=colour', 'order_by'],
      ['order_by=metadata', 'order_by'],
      ['order_by=password', 'order_by'],
      ['order_by=address.city', 'order_by'],
    ]) {
      const result = await server.request('GET', `/nucleus/v1/client?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.field, field, `${query}: ${JSON.stringify(result.body)}`);
    }
  });

  it('supports equality and inequality', async () => {
    assert.deepEqual(await filter('first_name==Ann'), ['ann']);
    assert.deepEqual(await filter("first_name=='Eve O''Hara'".replace("''", "\\'")), ['eve']);
    assert.deepEqual(await filter('first_name!=Ann'), ['bob', 'cat', 'dan', 'eve']);
    assert.deepEqual(await filter('income!=50000'), ['bob', 'cat', 'dan', 'eve'], 'a missing value is not equal');
    assert.deepEqual(await filter(`id==${ids.bob}`), ['bob']);
    assert.deepEqual(await filter('is_verified==true'), ['ann', 'cat', 'eve']);
  });

  it('supports every comparison operator, typed by the field', async () => {
    assert.deepEqual(await filter('income=lt=75000'), ['ann', 'dan']);
    assert.deepEqual(await filter('income<75000'), ['ann', 'dan']);
    assert.deepEqual(await filter('income=le=75000'), ['ann', 'bob', 'dan']);
    assert.deepEqual(await filter('income<=75000'), ['ann', 'bob', 'dan']);
    assert.deepEqual(await filter('income=gt=75000'), ['cat']);
    assert.deepEqual(await filter('income>75000'), ['cat']);
    assert.deepEqual(await filter('income=ge=75000'), ['bob', 'cat']);
    assert.deepEqual(await filter('income>=75000'), ['bob', 'cat']);
    assert.deepEqual(await filter('income>9999'), ['ann', 'bob', 'cat', 'dan'], 'numbers compare as numbers, not text');
    assert.deepEqual(await filter('date_of_birth<1985-01-01'), ['ann', 'cat']);
    const created = (await server.request('GET', `/nucleus/v1/client/${ids.cat}`)).body.create_date;
    assert.deepEqual(await filter(`create_date>=${created}`), ['cat', 'dan', 'eve']);
  });

  it('supports =like= with * wildcards, case-insensitively', async () => {
    assert.deepEqual(await filter('first_name=like=*a*'), ['ann', 'cat', 'dan', 'eve']);
    assert.deepEqual(await filter('first_name=like=ca*'), ['cat']);
    assert.deepEqual(await filter('first_name=like=100%'), [], 'a % in the value is literal');
  });

  it('supports =isnull=, =in= and =out=', async () => {
    assert.deepEqual(await filter('income=isnull=true'), ['eve']);
    assert.deepEqual(await filter('income=isnull=false'), ['ann', 'bob', 'cat', 'dan']);
    assert.deepEqual(await filter('employment=isnull=true'), ['ann', 'bob', 'cat', 'dan', 'eve']);
    assert.deepEqual(await filter('first_name=in=(Ann,Bob)'), ['ann', 'bob']);
    assert.deepEqual(await filter('income=in=(30000,120000)'), ['cat', 'dan']);
    assert.deepEqual(await filter('first_name=out=(Ann,Bob)'), ['cat', 'dan', 'eve']);
  });

  it('combines with ; , and or, and parentheses', async () => {
    assert.deepEqual(await filter('is_verified==true;income>60000'), ['cat']);
    assert.deepEqual(await filter('is_verified==true and income>60000'), ['cat']);
    assert.deepEqual(await filter('first_name==Ann,first_name==Bob'), ['ann', 'bob']);
    assert.deepEqual(await filter('first_name==Ann or first_name==Bob'), ['ann', 'bob']);
    assert.deepEqual(await filter('(first_name==Ann,first_name==Bob);income>60000'), ['bob']);
    assert.deepEqual(await filter('first_name==Ann,first_name==Bob;income>60000'), ['ann', 'bob'], 'and binds tighter than or');
  });

  it('filters nested objects and elements of arrays', async () => {
    assert.deepEqual(await filter('address.city==Boston'), ['ann', 'cat']);
    assert.deepEqual(await filter('address.city!=Boston'), ['bob', 'dan', 'eve']);
    assert.deepEqual(await filter('address.city=like=*o*;address.country==US'), ['ann', 'bob', 'cat', 'dan']);
    assert.deepEqual(await filter('group==gold'), ['ann', 'dan']);
    assert.deepEqual(await filter('group=in=(vip,silver)'), ['bob', 'dan']);
  });

  it('combines a filter with paging', async () => {
    const result = await server.request('GET', `/nucleus/v1/client?size=1&page=1&order_by=username&ascending=true&filter=${encodeURIComponent('address.city==Boston')}`);
    assert.equal(result.body.total_elements, 2);
    assert.equal(result.body.total_pages, 2);
    assert.deepEqual(result.body.content.map((c: { username: string }) => c.username), ['cat']);
  });

  it('refuses malformed filters and unknown or protected fields with 400 saying why', async () => {
    const cases: [string, RegExp][] = [
      ['first_name==', /filter/],
      ['(first_name==Ann', /filter/],
      ['colour==red', /unknown field "colour"/],
      ['address.town==Boston', /unknown field "address.town"/],
      ['metadata.tier==ann', /cannot be used/],
      ['password==x', /cannot be used/],
      ['income==lots', /not a number/],
      ['is_verified==maybe', /true or false/],
      ['id==42', /not a UUID/],
      ['create_date>yesterday', /date-time/],
      ['date_of_birth<1985', /date/],
      ['income=like=5*', /text field/],
      ['income=isnull=maybe', /true or false/],
      ['first_name=foo=x', /unknown operator/],
      ['address==x', /object|field/],
      ["first_name==x'; DROP TABLE nucleus_client; --", /filter/],
    ];
    for (const [f, message] of cases) {
      const result = await server.request('GET', `/nucleus/v1/client?filter=${encodeURIComponent(f)}`);
      assert.equal(result.status, 400, `${f}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.field, 'filter');
      assert.match(result.body.message, message, f);
    }
    // A value the field cannot hold is a filter problem; a field that is not there is a field problem.
    const notANumber = await server.request('GET', `/nucleus/v1/client?filter=${encodeURIComponent('income==lots')}`);
    assert.equal(notANumber.body.code, 'invalid_filter');
    assert.equal((await server.request('GET', '/nucleus/v1/client')).body.total_elements, 5);
  });
});
