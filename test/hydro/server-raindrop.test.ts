import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { sdkPartner } from './sdk-partner.ts';
import { answerChallenge, raindropAbi, userWallet, type UserWallet } from './user-wallet.ts';

/** The address with letters' case flipped until it is mixed case and so no longer its valid EIP-55 checksum. */
function badChecksum(address: string): string {
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === text[at].toLowerCase() ? text[at].toUpperCase() : text[at].toLowerCase()) + text.slice(at + 1);
  const letters = [...address.slice(2)].flatMap((c, i) => (/[a-fA-F]/.test(c) ? [i + 2] : []));
  const once = flip(address, letters[0]);
  return /[a-f]/.test(once.slice(2)) && /[A-F]/.test(once.slice(2)) ? once : flip(once, letters[letters.length - 1]);
}

describe('server-side Raindrop on the embedded chain', () => {
  let server: TestServer;
  let sdk: any;

  async function fundedUser(): Promise<UserWallet> {
    const user = await userWallet(server);
    const funded = await server.request('POST', '/hydro/v1/faucet', { body: { address: user.address } });
    assert.equal(funded.status, 200, JSON.stringify(funded.body));
    return user;
  }

  async function whitelisted(token?: string): Promise<{ user: UserWallet; id: string }> {
    const user = await fundedUser();
    const result = await server.request('POST', '/hydro/v1/whitelist', { body: { address: user.address }, token });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return { user, id: result.body.hydro_address_id };
  }

  async function authenticate(id: string, token?: string) {
    return server.request('GET', `/hydro/v1/authenticate?hydro_address_id=${id}`, { token });
  }

  before(async () => {
    server = await startServer({ hydroChainDir: null });
    sdk = await sdkPartner(server, 'server');
  });
  after(() => server?.close());

  it('runs the whole flow through the published SDK', async () => {
    const user = await fundedUser();
    const { hydro_address_id: id, transaction_hash } = await sdk.whitelist(user.address);
    assert.deepEqual(await sdk.transactionStatus(transaction_hash), { transaction_hash, completed: true });
    assert.deepEqual(await sdk.authenticate(id), { authenticated: false });

    const challenge = await sdk.requestChallenge(id);
    assert.ok(Number.isSafeInteger(challenge.amount) && challenge.amount > 0);
    assert.match(challenge.challenge, /^[0-9]+$/);
    assert.equal((await sdk.transactionStatus(challenge.transaction_hash)).completed, true);
    assert.equal(await answerChallenge(user, challenge.amount, challenge.challenge, challenge.partner_id), 'success');

    const result = await sdk.authenticate(id);
    assert.equal(result.authenticated, true);
    assert.equal(result.data.verified, true);
    assert.match(result.data.authentication_id, /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(result.data.timestamp) - Date.now()) < 60_000);
    assert.equal((await sdk.authenticate(id)).data.authentication_id, result.data.authentication_id);

    // A new challenge makes the old answer stale.
    await sdk.requestChallenge(id);
    assert.deepEqual(await sdk.authenticate(id), { authenticated: false });
  });

  it('refuses the wrong amount and the wrong challenge', async () => {
    const { user, id } = await whitelisted();
    const unchallenged = await authenticate(id);
    assert.deepEqual([unchallenged.status, unchallenged.body.verified, unchallenged.body.code], [401, false, 'no_challenge']);
    const challenge = (await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: id } })).body;
    assert.equal(await answerChallenge(user, challenge.amount + 1, challenge.challenge, challenge.partner_id), 'success');
    const wrongAmount = await authenticate(id);
    assert.deepEqual([wrongAmount.status, wrongAmount.body.verified, wrongAmount.body.code, wrongAmount.body.type], [401, false, 'wrong_amount', 'authentication_error']);
    assert.equal(await answerChallenge(user, challenge.amount, BigInt(challenge.challenge) + 1n, challenge.partner_id), 'success');
    assert.equal((await authenticate(id)).body.code, 'wrong_challenge');
    assert.equal(await answerChallenge(user, challenge.amount, challenge.challenge, challenge.partner_id), 'success');
    assert.equal((await authenticate(id)).status, 200);
  });

  it("refuses an answer for another partner, and keeps each tenant's addresses apart", async () => {
    const other = await server.otherTenant();
    const { user, id } = await whitelisted();
    const mine = (await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: id } })).body;
    const theirs = await server.request('POST', '/hydro/v1/whitelist', { body: { address: user.address }, token: other.token });
    assert.equal(theirs.status, 200);
    const theirChallenge = (await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: theirs.body.hydro_address_id }, token: other.token })).body;
    assert.notEqual(theirChallenge.partner_id, mine.partner_id);
    assert.equal(await answerChallenge(user, mine.amount, mine.challenge, theirChallenge.partner_id), 'success');
    assert.equal((await authenticate(id)).body.code, 'not_authenticated');
    assert.equal((await authenticate(theirs.body.hydro_address_id, other.token)).body.code, 'wrong_challenge');
    assert.equal((await authenticate(id, other.token)).body.code, 'not_whitelisted');
    const foreignChallenge = await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: id }, token: other.token });
    assert.equal(foreignChallenge.status, 404);
  });

  it('refuses an address that is not whitelisted', async () => {
    const stranger = await fundedUser();
    const { id } = await whitelisted();
    const challenge = (await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: id } })).body;
    assert.equal(await answerChallenge(stranger, challenge.amount, challenge.challenge, challenge.partner_id), 'reverted');
    assert.equal((await authenticate(id)).body.code, 'not_authenticated');
    const unknown = await authenticate(randomUUID());
    assert.deepEqual([unknown.status, unknown.body.verified, unknown.body.code], [401, false, 'not_whitelisted']);
    const noChallenge = await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: randomUUID() } });
    assert.deepEqual([noChallenge.status, noChallenge.body.field], [404, 'hydro_address_id']);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const { user } = await whitelisted();
    const again = await server.request('POST', '/hydro/v1/whitelist', { body: { address: user.address.toLowerCase() } });
    assert.deepEqual([again.status, again.body.code, again.body.field], [409, 'already_whitelisted', 'address']);
    for (const address of ['0x1234', 'hello', badChecksum(user.address)]) {
      const malformed = await server.request('POST', '/hydro/v1/whitelist', { body: { address } });
      assert.deepEqual([malformed.status, malformed.body.field], [400, 'address'], address);
    }
    const badId = await server.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: 'nope' } });
    assert.deepEqual([badId.status, badId.body.field], [400, 'hydro_address_id']);
    const badHash = await server.request('GET', '/hydro/v1/transaction?transaction_hash=0x12');
    assert.deepEqual([badHash.status, badHash.body.field], [400, 'transaction_hash']);
    const unknownHash = await server.request('GET', `/hydro/v1/transaction?transaction_hash=0x${'ab'.repeat(32)}`);
    assert.deepEqual(unknownHash.body, { transaction_hash: `0x${'ab'.repeat(32)}`, completed: false });
  });

  it('is documented, and closed to tokens acting for one client', async () => {
    const document = (await server.request('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
    for (const path of ['/hydro/v1/whitelist', '/hydro/v1/challenge', '/hydro/v1/authenticate', '/hydro/v1/verify_signature', '/hydro/v1/rpc']) {
      assert.ok(document.paths[path], path);
    }
    const anonymous = await server.request('GET', '/hydro/v1/contracts', { token: null });
    assert.equal(anonymous.status, 401);
    const refused = await server.request('POST', '/hydro/v1/rpc', { body: { jsonrpc: '2.0', id: 7, method: 'eth_accounts', params: [] } });
    assert.deepEqual(refused.body, { jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'method eth_accounts is not available' } });
    const batch = await server.request('POST', '/hydro/v1/rpc', { body: [{ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }] });
    assert.equal(batch.status, 400);
  });
});

describe('the embedded chain across a restart', () => {
  let chainDir: string;
  const servers: TestServer[] = [];
  before(() => {
    chainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deuterium-hydro-chain-'));
  });
  after(async () => {
    for (const server of servers) await server.close();
    fs.rmSync(chainDir, { recursive: true, force: true });
  });

  it('keeps the contracts, the whitelists, the challenges and the answers', async () => {
    const first = await startServer({ hydroChainDir: chainDir });
    servers.push(first);
    const contracts = (await first.request('GET', '/hydro/v1/contracts')).body;
    const user = await userWallet(first);
    await first.request('POST', '/hydro/v1/faucet', { body: { address: user.address } });
    const { hydro_address_id: id, transaction_hash: whitelistHash } = (await first.request('POST', '/hydro/v1/whitelist', { body: { address: user.address } })).body;
    const challenge = (await first.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: id } })).body;
    assert.equal(await answerChallenge(user, challenge.amount, challenge.challenge, challenge.partner_id), 'success');
    assert.equal((await first.request('GET', `/hydro/v1/authenticate?hydro_address_id=${id}`)).status, 200);
    await first.close();
    servers.pop();
    // A crash in the middle of an append leaves a torn last line, which must not stop the replay.
    fs.appendFileSync(path.join(chainDir, 'transactions.jsonl'), '{"raw":"0xf8');

    const second = await startServer({ hydroChainDir: chainDir });
    servers.push(second);
    assert.deepEqual((await second.request('GET', '/hydro/v1/contracts')).body, contracts);
    for (const hash of [whitelistHash, challenge.transaction_hash]) {
      assert.equal((await second.request('GET', `/hydro/v1/transaction?transaction_hash=${hash}`)).body.completed, true);
    }
    const wallet = await userWallet(second, { key: user.key });
    const read = (functionName: 'whitelisted' | 'challenges' | 'authentications') =>
      wallet.public.readContract({ address: contracts.raindrop, abi: raindropAbi, functionName, args: [BigInt(challenge.partner_id), user.address] });
    assert.equal(await read('whitelisted'), true);
    const [, issued] = (await read('challenges')) as readonly bigint[];
    const [paid, answered] = (await read('authentications')) as readonly bigint[];
    assert.deepEqual([issued, answered, paid], [BigInt(challenge.challenge), BigInt(challenge.challenge), BigInt(challenge.amount)]);

    // The operator's nonce and the user's balance carry on: new transactions from both go through.
    const { hydro_address_id: newId } = (await second.request('POST', '/hydro/v1/whitelist', { body: { address: user.address } })).body;
    const next = (await second.request('POST', '/hydro/v1/challenge', { body: { hydro_address_id: newId } })).body;
    assert.equal(await answerChallenge(wallet, next.amount, next.challenge, next.partner_id), 'success');
    assert.equal((await second.request('GET', `/hydro/v1/authenticate?hydro_address_id=${newId}`)).status, 200);
  });
});
