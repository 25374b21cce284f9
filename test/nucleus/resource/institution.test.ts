import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../../support/server.ts';

const PATH = '/nucleus/v1/resource/institution';

describe('resource/institution: a declared entity served under /resource', () => {
  let server: TestServer;
  let otherToken: string;
  before(async () => {
    server = await startServer();
    otherToken = (await server.otherTenant()).token;
  });
  after(() => server.close());

  it('creates, reads, updates, lists and deletes', async () => {
    const body = {
      name: 'Chase',
      code: 'chase',
      website_url: 'https://www.chase.com',
      logo_url_small: 'https://cdn.example.com/chase-16.png',
      logo_url_medium: 'https://cdn.example.com/chase-64.png',
    };
    const created = await server.request('POST', PATH, { body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, create_date: _created, update_date: _updated, ...fields } = created.body;
    assert.deepEqual(fields, body);

    assert.deepEqual((await server.request('GET', `${PATH}/${id}`)).body, created.body);
    const updated = await server.request('PUT', `${PATH}/${id}`, { body: { name: 'JPMorgan Chase' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.name, 'JPMorgan Chase');
    assert.equal(updated.body.code, 'chase');

    await server.request('POST', PATH, { body: { name: 'Ally Bank' } });
    const page = await server.request('GET', `${PATH}?order_by=name&ascending=true&size=1`);
    assert.equal(page.status, 200);
    assert.equal(page.body.total_elements, 2);
    assert.deepEqual(page.body.content.map((i: { name: string }) => i.name), ['Ally Bank']);
    const filtered = await server.request('GET', `${PATH}?filter=${encodeURIComponent('code==chase')}`);
    assert.deepEqual(filtered.body.content.map((i: { id: string }) => i.id), [id]);

    assert.equal((await server.request('DELETE', `${PATH}/${id}`)).status, 204);
    assert.equal((await server.request('GET', `${PATH}/${id}`)).status, 404);
    assert.equal((await server.request('DELETE', `${PATH}/${id}`)).status, 404);
  });

  it('is served only under /resource', async () => {
    assert.equal((await server.request('GET', '/nucleus/v1/institution')).status, 404);
    assert.equal((await server.request('POST', '/nucleus/v1/institution', { body: { name: 'x' } })).status, 404);
  });

  it('validates bodies, naming the field', async () => {
    const missing = await server.request('POST', PATH, { body: { code: 'x' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'name');
    const wrongType = await server.request('POST', PATH, { body: { name: 'x', website_url: 42 } });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.field, 'website_url');
    const badId = await server.request('GET', `${PATH}/not-a-uuid`);
    assert.equal(badId.status, 400);
    assert.equal(badId.body.field, 'institution_id');
  });

  it('requires a token', async () => {
    assert.equal((await server.request('GET', PATH, { token: null })).status, 401);
    assert.equal((await server.request('POST', PATH, { token: null, body: { name: 'x' } })).status, 401);
    assert.equal((await server.request('GET', `${PATH}/${randomUUID()}`, { token: null })).status, 401);
  });

  it('keeps each tenant’s institutions to itself', async () => {
    const mine = await server.request('POST', PATH, { body: { name: 'Mine' } });
    assert.equal((await server.request('GET', `${PATH}/${mine.body.id}`, { token: otherToken })).status, 404);
    assert.equal((await server.request('PUT', `${PATH}/${mine.body.id}`, { token: otherToken, body: { name: 'Theirs' } })).status, 404);
    assert.equal((await server.request('DELETE', `${PATH}/${mine.body.id}`, { token: otherToken })).status, 404);
    const theirs = await server.request('GET', PATH, { token: otherToken });
    assert.equal(theirs.body.total_elements, 0);
    assert.equal((await server.request('GET', `${PATH}/${mine.body.id}`)).body.name, 'Mine');
  });
});
