import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, type TestServer } from '../support/server.ts';
import { Program } from './program.ts';

/** The slice of Hydrogen's generated client (CommonJS, untyped) these tests drive. */
type Callback = (error: (Error & { status?: number }) | null, data: any, response: { status: number }) => void;
interface CardApi {
  createClientCardUsingPost(body: object, callback: Callback): void;
  updateClientCardUsingPut(clientId: string, callback: Callback): void;
  createCardIssueUsingPost(body: object, callback: Callback): void;
  createCardReactivateUsingPost(body: object, callback: Callback): void;
  createCardLoadUsingPost(body: object, callback: Callback): void;
  createCardUnloadUsingPost(body: object, callback: Callback): void;
  createCardSuspendUsingPost(body: object, callback: Callback): void;
  getCardReserveAccountDetailsUsingGet(callback: Callback): void;
}
interface ElectronClient {
  ApiClient: new () => { basePath: string; authentications: { oauth2: { accessToken?: string } } };
  CardApi: new (client: unknown) => CardApi;
  ACHApi: new (client: unknown) => { fundCardUsingPost(body: object, callback: Callback): void };
}

const HydrogenElectronApi = createRequire(import.meta.url)('@hydrogenplatform/hydrogen-electron-api') as ElectronClient;

/** Requests go as plain objects with the wire's field names; answers come back as the client's models, in camelCase. */
function call(invoke: (callback: Callback) => void): Promise<{ data: any; status: number }> {
  return new Promise((resolve, reject) => {
    // The client returns its superagent request, a thenable: it must not become this promise's value, or it is sent twice.
    invoke((error, data, response) => (error ? reject(error) : resolve({ data, status: response.status })));
  });
}

describe("Electron through Hydrogen's published npm client", () => {
  let server: TestServer;
  let program: Program;
  let cards: CardApi;

  before(async () => {
    server = await startServer();
    program = new Program(server);
    const client = new HydrogenElectronApi.ApiClient();
    client.basePath = `${server.url}/electron/v1`;
    client.authentications.oauth2.accessToken = await server.adminToken();
    cards = new HydrogenElectronApi.CardApi(client);
  });
  after(() => server.close());

  it('makes a cardholder, issues, activates, loads and unloads a card, and reads the reserve', async () => {
    const { client, card } = await program.cardOwner();
    const holder = await call((cb) => cards.createClientCardUsingPost({ nucleus_client_id: client }, cb));
    assert.equal(holder.status, 200);
    assert.equal(holder.data.nucleusClientId, client);
    assert.equal(holder.data.vendorName, 'sandbox');
    const updated = await call((cb) => cards.updateClientCardUsingPut(client, cb));
    assert.equal(updated.data.vendorRequestData.external_id, client);

    await call((cb) => cards.createCardIssueUsingPost({ nucleus_card_id: card }, cb));
    await call((cb) => cards.createCardReactivateUsingPost({ nucleus_card_id: card }, cb));
    const loaded = await call((cb) => cards.createCardLoadUsingPost({ nucleus_funding_id: null }, cb)).catch((error) => error);
    assert.equal(loaded.status, 400, 'a request without its funding is refused');

    const loadFunding = await program.funding(card, 80, true);
    const load = await call((cb) => cards.createCardLoadUsingPost({ nucleus_funding_id: loadFunding }, cb));
    assert.equal(load.data.amount, 80);
    assert.equal(load.data.cardStatus, 'active');
    const unloadFunding = await program.funding(card, 30, false);
    const unload = await call((cb) => cards.createCardUnloadUsingPost({ nucleus_funding_id: unloadFunding }, cb));
    assert.equal(unload.data.vendorResponse.balance, 50);

    const reserve = await call((cb) => cards.getCardReserveAccountDetailsUsingGet(cb));
    assert.equal(reserve.data.balance, 1_000_000 - 50);
    assert.equal(typeof reserve.data.walletId, 'string');

    await call((cb) => cards.createCardSuspendUsingPost({ nucleus_card_id: card }, cb));
    const twice = await call((cb) => cards.createCardSuspendUsingPost({ nucleus_card_id: card }, cb)).catch((error) => error);
    assert.equal(twice.status, 409);
  });

  it('starts an ACH funding', async () => {
    const { client, card } = await program.activeCard();
    const bankLink = await program.post('bank_link', {
      client_id: client,
      bank_account_holder: 'Card Holder',
      bank_account_number: '000987654321',
      institution_name: 'First Sandbox Bank',
      routing: '021000021',
    });
    const funding = await program.funding(card, 10, true, { bank_link_id: bankLink });
    const ach = new HydrogenElectronApi.ACHApi(Reflect.get(cards, 'apiClient'));
    const started = await call((cb) => ach.fundCardUsingPost({ nucleus_funding_id: funding }, cb));
    assert.equal(started.data.status, 'pending');
    assert.equal(started.data.nucleusFundingId, funding);
  });
});
