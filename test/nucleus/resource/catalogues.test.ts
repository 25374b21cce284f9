import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../support/server.ts';

const RESOURCE = '/nucleus/v1/resource';
type Row = Record<string, any>;

function query(params: Record<string, string>): string {
  return `?${new URLSearchParams(params)}`;
}

describe('catalogue resources: merchants, merchant category codes, account and transaction categories', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('pages merchants, by id descending unless told otherwise', async () => {
    const first = await server.request('GET', `${RESOURCE}/merchant?size=10`);
    assert.equal(first.status, 200);
    assert.equal(first.body.content.length, 10);
    assert.ok(first.body.total_elements > 100);
    assert.equal(first.body.sort[0].property, 'id');
    const ids = first.body.content.map((m: Row) => m.id);
    assert.deepEqual(ids, [...ids].sort().reverse());
    const second = await server.request('GET', `${RESOURCE}/merchant?size=10&page=1`);
    assert.ok(second.body.content[0].id < ids[9]);
  });

  it('filters and orders merchants', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/merchant${query({ filter: 'name=like=sta*', order_by: 'name', ascending: 'true' })}`);
    assert.equal(status, 200);
    assert.deepEqual(body.content.map((m: Row) => m.name), ['Staples', 'Starbucks', 'State Farm']);
    assert.equal(body.content[1].website_url, 'https://www.starbucks.com');
    const byId = await server.request('GET', `${RESOURCE}/merchant${query({ filter: `id==${body.content[1].id}` })}`);
    assert.deepEqual(byId.body.content, [body.content[1]]);
  });

  it('refuses a filter or order_by on an unknown field, naming the parameter', async () => {
    for (const [params, field] of [[{ filter: 'colour==red' }, 'filter'], [{ filter: 'name==' }, 'filter'], [{ order_by: 'colour' }, 'order_by']] as const) {
      const { status, body } = await server.request('GET', `${RESOURCE}/merchant${query(params)}`);
      assert.equal(status, 400, JSON.stringify(params));
      assert.equal(body.field, field);
    }
  });

  it('lists merchant category codes with their transaction categories', async () => {
    const { status, body } = await server.request('GET', `${RESOURCE}/merchant_category_code`);
    assert.equal(status, 200);
    assert.ok(body.length > 1000, `${body.length} codes`);
    const restaurants = body.find((c: Row) => c.mcc === 5812);
    assert.equal(restaurants.category, 'Food & Dining');
    assert.equal(restaurants.subcategory, 'Restaurants');
    // The brand-specific blocks are expanded code by code.
    assert.equal(body.find((c: Row) => c.mcc === 3058).subcategory, 'Air Travel');
    const categories = await server.request('GET', `${RESOURCE}/transaction_category`);
    const known = new Map(categories.body.map((c: Row) => [c.hydrogen_transaction_category_id, c]));
    for (const code of body) {
      const category = known.get(code.transaction_category_id) as Row | undefined;
      assert.ok(category, `${code.mcc} points at a transaction category`);
      assert.equal(category.category, code.category);
      assert.equal(category.subcategory, code.subcategory);
    }
  });

  it('filters merchant category codes', async () => {
    const range = await server.request('GET', `${RESOURCE}/merchant_category_code${query({ filter: 'mcc=ge=5811;mcc=le=5814' })}`);
    assert.deepEqual(range.body.map((c: Row) => c.mcc), [5811, 5812, 5813, 5814]);
    const travel = await server.request('GET', `${RESOURCE}/merchant_category_code${query({ filter: 'category==Travel;mcc=lt=3000' })}`);
    assert.deepEqual(travel.body, []);
    const bad = await server.request('GET', `${RESOURCE}/merchant_category_code${query({ filter: 'mcc==abc' })}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'filter');
  });

  for (const kind of ['transaction', 'account'] as const) {
    const path = `${RESOURCE}/${kind}_category`;
    const idField = `hydrogen_${kind}_category_id`;

    it(`${kind} categories: the taxonomy, its primary level and one category by id`, async () => {
      const all = await server.request('GET', path);
      assert.equal(all.status, 200);
      const primaries = await server.request('GET', `${path}?match_primary=true`);
      assert.ok(primaries.body.length > 5 && primaries.body.length < all.body.length);
      assert.ok(primaries.body.every((c: Row) => c.subcategory === undefined));
      assert.equal(new Set(all.body.map((c: Row) => c[idField])).size, all.body.length, 'ids are unique');
      const one = all.body.find((c: Row) => c.subcategory);
      const byId = await server.request('GET', `${path}${query({ [idField]: one[idField] })}`);
      assert.deepEqual(byId.body, [one]);
      const filtered = await server.request('GET', `${path}${query({ filter: `category=="${one.category}";subcategory=isnull=true` })}`);
      assert.equal(filtered.body.length, 1);
      assert.equal(filtered.body[0].category, one.category);
    });

    it(`${kind} categories: a vendor's categories mapped onto the taxonomy`, async () => {
      const all = await server.request('GET', path);
      const known = new Set(all.body.map((c: Row) => c[idField]));
      const mapped = await server.request('GET', `${path}?vendor_name=plaid`);
      assert.equal(mapped.status, 200);
      assert.ok(mapped.body.length > 10);
      for (const row of mapped.body) {
        assert.equal(row.vendor_name, 'plaid');
        assert.ok(known.has(row[idField]), `${row.vendor_category}/${row.vendor_subcategory} maps onto a known category`);
      }
      const primaries = await server.request('GET', `${path}?vendor_name=plaid&match_primary=true`);
      assert.ok(primaries.body.length > 3 && primaries.body.every((r: Row) => r.vendor_subcategory === undefined));
    });

    it(`${kind} categories: an unknown vendor, a bad id or a bad filter is a 400 naming it`, async () => {
      for (const [params, field] of [[{ vendor_name: 'nobody' }, 'vendor_name'], [{ [idField]: 'not-a-uuid' }, idField], [{ filter: 'nope==1' }, 'filter']]) {
        const { status, body } = await server.request('GET', `${path}${query(params as Record<string, string>)}`);
        assert.equal(status, 400, JSON.stringify(params));
        assert.equal(body.field, field);
      }
    });
  }

  it('maps Plaid detailed transaction categories precisely', async () => {
    const { body } = await server.request('GET', `${RESOURCE}/transaction_category${query({ vendor_name: 'plaid', filter: 'vendor_subcategory==FOOD_AND_DRINK_COFFEE' })}`);
    assert.equal(body.length, 1);
    assert.equal(body[0].vendor_category, 'FOOD_AND_DRINK');
    assert.equal(body[0].category, 'Food & Dining');
    assert.equal(body[0].subcategory, 'Coffee Shops');
  });

  it('maps Plaid account types and subtypes', async () => {
    const { body } = await server.request('GET', `${RESOURCE}/account_category${query({ vendor_name: 'plaid', filter: 'vendor_category==depository;vendor_subcategory==checking' })}`);
    assert.equal(body.length, 1);
    assert.equal(body[0].category, 'Bank Account');
    assert.equal(body[0].subcategory, 'Checking Account');
    assert.equal(body[0].is_asset, true);
  });
});
