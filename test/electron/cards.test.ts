import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { Program } from './program.ts';

describe('Electron cardholders and the card lifecycle', () => {
  let server: TestServer;
  let program: Program;

  before(async () => {
    server = await startServer();
    program = new Program(server);
  });
  after(() => server.close());

  it('makes a client a cardholder and sends later client changes to the processor', async () => {
    const { client } = await program.cardOwner();
    const created = await program.ok('POST', '/card/client', { nucleus_client_id: client, vendor_request: { middle_name: 'Q' } });
    assert.equal(created.nucleus_client_id, client);
    assert.equal(created.vendor_name, 'sandbox');
    assert.equal(created.status, 'active');
    assert.match(created.vendor_response.cardholder_id, /^ch_/);

    const again = await program.electron('POST', '/card/client', { nucleus_client_id: client });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'already_cardholder');

    const renamed = await server.request('PUT', `/nucleus/v1/client/${client}`, { body: { last_name: 'Renamed' } });
    assert.equal(renamed.status, 200);
    const updated = await program.ok('PUT', `/card/client/${client}`);
    assert.equal(updated.nucleus_client_id, client);
    assert.equal(updated.vendor_request_data.last_name, 'Renamed');
    assert.equal(updated.vendor_request_data.external_id, client);
    const stored = await server.db.query<{ profile: Record<string, string> }>('SELECT profile FROM sandbox_cardholder WHERE id = $1', [created.vendor_response.cardholder_id]);
    assert.equal(stored[0].profile.last_name, 'Renamed');
    assert.equal(stored[0].profile.middle_name, 'Q', 'what vendor_request added is kept by an update');
  });

  it('accepts the empty JSON body Hydrogen clients send on PUT', async () => {
    const { client } = await program.cardOwner();
    await program.ok('POST', '/card/client', { nucleus_client_id: client });
    const result = await server.request('PUT', `/electron/v1/card/client/${client}`, { headers: { 'content-type': 'application/json' }, rawBody: '' });
    assert.equal(result.status, 200, JSON.stringify(result.body));
  });

  it('refuses a cardholder without a name, and an update of a client that is not one', async () => {
    const { client } = await program.cardOwner({ names: false });
    const nameless = await program.electron('POST', '/card/client', { nucleus_client_id: client });
    assert.equal(nameless.status, 400);
    assert.equal(nameless.body.field, 'nucleus_client_id');
    assert.match(nameless.body.message, /first_name/);
    const named = await program.ok('POST', '/card/client', { nucleus_client_id: client, vendor_request: { first_name: 'Given', last_name: 'In request' } });
    assert.equal(named.status, 'active');

    const other = await program.cardOwner();
    const update = await program.electron('PUT', `/card/client/${other.client}`);
    assert.equal(update.status, 404);
    assert.match(update.body.message, /not a cardholder/);
  });

  it('issues a card: token, last four and expiry at the processor, never a full card number', async () => {
    const { client, card } = await program.cardOwner();
    const early = await program.electron('POST', '/card/issue', { nucleus_card_id: card });
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'not_a_cardholder');

    await program.ok('POST', '/card/client', { nucleus_client_id: client });
    const issued = await program.ok('POST', '/card/issue', { nucleus_card_id: card, reason: 'new customer' });
    const audited = await server.db.query<{ request: string }>(
      "SELECT doc->>'request' AS request FROM nucleus_audit_log WHERE doc->>'request_url' = '/electron/v1/card/issue' AND doc->>'request' LIKE '%card issued at the processor%'",
    );
    assert.equal(audited.length, 1, 'the card record Electron updated is audited once, as a system write');
    const request = JSON.parse(audited[0].request);
    assert.equal(request.actor, 'system');
    assert.deepEqual(request.authorities, [], 'no admin principal is forged');
    assert.ok(request.credential_id, "the caller's credential is named");
    assert.equal(issued.vendor_name, 'sandbox');
    assert.match(issued.vendor_response.card_id, /^card_/);
    assert.match(issued.vendor_response.last_four, /^\d{4}$/);
    assert.equal(issued.vendor_response.status, 'issued');
    // A card number is 13 to 19 digits standing alone (the token's hex may hold digit runs of its own).
    assert.doesNotMatch(JSON.stringify(issued), /(?<![0-9a-z])\d{13,19}(?![0-9a-z])/i, 'no card number anywhere in the answer');

    const record = (await program.get(`/nucleus/v1/card/${card}`)).body;
    assert.equal(record.status, 'issued');
    assert.equal(record.mask, issued.vendor_response.last_four);
    assert.equal(record.expiry_date, issued.vendor_response.expiry_date);
    assert.ok(record.expiry_date > new Date().toISOString().slice(0, 10));

    const twice = await program.electron('POST', '/card/issue', { nucleus_card_id: card });
    assert.equal(twice.status, 409);
    assert.match(twice.body.message, /already issued; it is issued/);
  });

  it('moves a card through its states and answers 409, naming the state, for a change that does not apply', async () => {
    const { client, card } = await program.cardOwner();
    await program.ok('POST', '/card/client', { nucleus_client_id: client });
    await program.ok('POST', '/card/issue', { nucleus_card_id: card });
    const status = async () => (await program.get(`/nucleus/v1/card/${card}`)).body.status;

    const suspendIssued = await program.electron('POST', '/card/suspend', { nucleus_card_id: card });
    assert.equal(suspendIssued.status, 409);
    assert.equal(suspendIssued.body.code, 'invalid_card_state');
    assert.match(suspendIssued.body.message, /is issued/);

    await program.ok('POST', '/card/reactivate', { nucleus_card_id: card });
    assert.equal(await status(), 'active');
    await program.ok('POST', '/card/suspend', { nucleus_card_id: card, reason: 'lost' });
    assert.equal(await status(), 'suspended');
    const suspendTwice = await program.electron('POST', '/card/suspend', { nucleus_card_id: card });
    assert.equal(suspendTwice.status, 409);
    assert.match(suspendTwice.body.message, /is suspended/);
    await program.ok('POST', '/card/reactivate', { nucleus_card_id: card });
    assert.equal(await status(), 'active');

    const closed = await program.ok('POST', '/card/close', { nucleus_card_id: card });
    assert.equal(closed.vendor_response.status, 'closed');
    const record = (await program.get(`/nucleus/v1/card/${card}`)).body;
    assert.equal(record.status, 'closed');
    assert.equal(record.is_active, false);
    for (const path of ['/card/reactivate', '/card/suspend', '/card/close', '/card/replace']) {
      const refused = await program.electron('POST', path, { nucleus_card_id: card });
      assert.equal(refused.status, 409, path);
      assert.match(refused.body.message, /is closed/, path);
    }
  });

  it('refuses to close a card that still holds money', async () => {
    const { card } = await program.activeCard();
    await program.load(card, 12.5);
    const refused = await program.electron('POST', '/card/close', { nucleus_card_id: card });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'card_has_balance');
    assert.match(refused.body.message, /12\.5 USD/);
  });

  it('replaces a card: the old one closes, a linked copy is issued and takes the balance', async () => {
    const { card, portfolio } = await program.activeCard();
    await program.load(card, 40);
    const replaced = await program.ok('POST', '/card/replace', { nucleus_card_id: card, reason: 'stolen' });
    assert.equal(replaced.nucleus_card_id, card);
    assert.equal(replaced.replaced_nucleus_card_id, card);
    assert.notEqual(replaced.new_nucleus_card_id, card);
    assert.equal(replaced.card_status, 'issued');
    assert.equal(replaced.vendor_response.balance_transferred, 40);

    const old = (await program.get(`/nucleus/v1/card/${card}`)).body;
    const fresh = (await program.get(`/nucleus/v1/card/${replaced.new_nucleus_card_id}`)).body;
    assert.equal(old.status, 'closed');
    assert.equal(old.metadata.replaced_by_card_id, fresh.id);
    assert.equal(fresh.metadata.replaces_card_id, card);
    assert.equal(fresh.status, 'issued');
    assert.equal(fresh.portfolio_id, portfolio);
    assert.equal(fresh.card_name, old.card_name);
    assert.match(fresh.mask, /^\d{4}$/);

    const again = await program.ok('POST', '/card/replace', { nucleus_card_id: card });
    assert.equal(again.new_nucleus_card_id, replaced.new_nucleus_card_id, 'asking again answers the same replacement');

    await program.ok('POST', '/card/reactivate', { nucleus_card_id: fresh.id });
    const unload = await program.ok('POST', '/card/unload', { nucleus_funding_id: await program.funding(fresh.id, 40, false) });
    assert.equal(unload.vendor_response.balance, 0);
  });

  it('answers 409 for a cardholder or card the processor no longer has, and 503 for a card at a processor this server lacks', async () => {
    const vendorOf = async (table: string, column: string, key: string, id: string) =>
      (await server.db.query<Record<string, string>>(`SELECT ${column} FROM ${table} WHERE ${key} = $1`, [id]))[0][column];
    // The sandbox keeps a processor's books in this database; removing its rows is the processor losing the records.
    const lost = await program.cardOwner();
    await program.ok('POST', '/card/client', { nucleus_client_id: lost.client });
    await server.db.query('DELETE FROM sandbox_cardholder WHERE id = $1', [await vendorOf('electron_cardholder', 'vendor_cardholder_id', 'nucleus_client_id', lost.client)]);
    const update = await program.electron('PUT', `/card/client/${lost.client}`);
    assert.deepEqual([update.status, update.body.code], [409, 'unknown_cardholder']);
    const issue = await program.electron('POST', '/card/issue', { nucleus_card_id: lost.card });
    assert.deepEqual([issue.status, issue.body.code], [409, 'unknown_cardholder']);

    const gone = await program.activeCard();
    await server.db.query('DELETE FROM sandbox_card WHERE token = $1', [await vendorOf('electron_card', 'vendor_card_id', 'nucleus_card_id', gone.card)]);
    const suspend = await program.electron('POST', '/card/suspend', { nucleus_card_id: gone.card });
    assert.deepEqual([suspend.status, suspend.body.code], [409, 'unknown_card']);

    // As a card issued by a processor that a later configuration of the server no longer has.
    const elsewhere = await program.activeCard();
    await server.db.query("UPDATE electron_card SET processor = 'retired' WHERE nucleus_card_id = $1", [elsewhere.card]);
    const unavailable = await program.electron('POST', '/card/suspend', { nucleus_card_id: elsewhere.card });
    assert.deepEqual([unavailable.status, unavailable.body.code], [503, 'processor_unavailable']);
    assert.match(unavailable.body.message, /retired/);
  });

  it('answers 400 naming the field, 401 without a token, 404 for ids it cannot see, 403 for a client login', async () => {
    const missing = await program.electron('POST', '/card/issue', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'nucleus_card_id');
    const malformed = await program.electron('POST', '/card/suspend', { nucleus_card_id: 'not-a-uuid' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.field, 'nucleus_card_id');
    const unknownField = await program.electron('POST', '/card/close', { nucleus_card_id: randomUUID(), pan: '4111111111111111' });
    assert.equal(unknownField.status, 404, 'an unknown field is ignored, so the unknown card is what is refused');
    assert.equal(unknownField.headers.get('deuterium-ignored-fields'), 'pan');

    const anonymous = await program.electron('GET', '/card/reserve', undefined, { token: null });
    assert.equal(anonymous.status, 401);
    const anonymousPost = await program.electron('POST', '/card/issue', { nucleus_card_id: randomUUID() }, { token: null });
    assert.equal(anonymousPost.status, 401);

    const unknown = await program.electron('POST', '/card/issue', { nucleus_card_id: randomUUID() });
    assert.equal(unknown.status, 404);
    const { client, card } = await program.cardOwner();
    const other = await server.otherTenant();
    for (const [path, body] of [
      ['/card/client', { nucleus_client_id: client }],
      ['/card/issue', { nucleus_card_id: card }],
    ] as const) {
      const foreign = await program.electron('POST', path, body, { token: other.token });
      assert.equal(foreign.status, 404, path);
    }
    const foreignPut = await program.electron('PUT', `/card/client/${client}`, undefined, { token: other.token });
    assert.equal(foreignPut.status, 404);

    const support = await server.credential(['ROLE_SUPPORT']);
    const token = (await server.token(support.clientId, support.clientSecret, { grant_type: 'client_credentials' })).body.access_token;
    const forbidden = await program.electron('POST', '/card/issue', { nucleus_card_id: card }, { token });
    assert.equal(forbidden.status, 403);
  });
});
