import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAbi } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signRegistration } from '../../src/hydro/registration.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { NODE_KEYS, startRpcNode, type RpcNode } from './rpc-node.ts';
import { raindrop, sdkPartner } from './sdk-partner.ts';
import { answerChallenge, registryAbi, userWallet, type UserWallet } from './user-wallet.ts';

describe('Raindrop against an Ethereum JSON-RPC node on loopback', () => {
  let node: RpcNode;
  let server: TestServer;
  let user: UserWallet;

  before(async () => {
    node = await startRpcNode();
    server = await startServer({ hydroRpcUrl: node.url, hydroPrivateKey: NODE_KEYS[0], hydroContracts: node.contracts, hydroChainDir: null });
    user = await userWallet(server, { key: NODE_KEYS[1], rpcUrl: node.url });
    await node.operator.send(node.contracts.token, node.operator.contracts.HydroToken.abi, 'transfer', [user.address, 10n ** 18n]);
  });
  after(async () => {
    await server?.close();
    await node?.stop();
  });

  it('runs server-side Raindrop, and refuses an answer older than 24 hours', async () => {
    const contracts = (await server.request('GET', '/hydro/v1/contracts')).body;
    assert.deepEqual([contracts.embedded, contracts.hydro_token], [false, node.contracts.token]);
    const sdk = await sdkPartner(server, 'server');
    const { hydro_address_id: id } = await sdk.whitelist(user.address);
    const challenge = await sdk.requestChallenge(id);
    assert.equal(await answerChallenge(user, challenge.amount, challenge.challenge, challenge.partner_id), 'success');
    assert.equal((await sdk.authenticate(id)).authenticated, true);

    await user.public.request({ method: 'evm_increaseTime', params: [86_401] } as never);
    await user.public.request({ method: 'evm_mine', params: [] } as never);
    const stale = await server.request('GET', `/hydro/v1/authenticate?hydro_address_id=${id}`);
    assert.deepEqual([stale.status, stale.body.verified, stale.body.code], [401, false, 'expired']);
  });

  it('runs client-side Raindrop', async () => {
    const application = (await server.request('POST', '/hydro/v1/application', { body: { name: 'node app' } })).body;
    const sdk = await sdkPartner(server, 'client', application.id);
    const account = privateKeyToAccount(generatePrivateKey());
    const signature = await signRegistration(account, node.contracts.registry, 'dana');
    assert.equal((await server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'dana', address: account.address, signature } })).status, 201);
    await sdk.registerUser('dana');
    const message = raindrop.client.generateMessage();
    await server.request('POST', '/hydro/v1/signature', { body: { hydro_id: 'dana', message, signature: await account.signMessage({ message }) } });
    assert.equal((await sdk.verifySignature('dana', message)).verified, true);
    assert.deepEqual(await sdk.verifySignature('dana', message), { verified: false });
  });

  it('answers 502 chain_error when the node refuses a transaction: the partner key unwhitelisted the address outside Deuterium', async () => {
    const address = privateKeyToAccount(generatePrivateKey()).address;
    const whitelisted = await server.request('POST', '/hydro/v1/whitelist', { body: { address } });
    assert.equal(whitelisted.status, 200, JSON.stringify(whitelisted.body));
    const challenge = { body: { hydro_address_id: whitelisted.body.hydro_address_id } };
    const first = await server.request('POST', '/hydro/v1/challenge', challenge);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const partner = await userWallet(server, { key: NODE_KEYS[0], rpcUrl: node.url });
    const hash = await partner.wallet.writeContract({
      address: node.contracts.raindrop,
      abi: parseAbi(['function unwhitelistAddress(uint256 partnerId, address user)']),
      functionName: 'unwhitelistAddress',
      args: [BigInt(first.body.partner_id), address],
    });
    assert.equal((await partner.public.waitForTransactionReceipt({ hash })).status, 'success');
    const refused = await server.request('POST', '/hydro/v1/challenge', challenge);
    assert.deepEqual([refused.status, refused.body.code], [502, 'chain_error'], JSON.stringify(refused.body));
    assert.match(refused.body.message, /not whitelisted/);
  });

  it('answers 502 transaction_reverted when a transaction that checked out reverts once mined', async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const rival = await userWallet(server, { key: NODE_KEYS[2], rpcUrl: node.url });
    const operator = privateKeyToAccount(NODE_KEYS[0]).address;
    const pending = () => rival.public.getTransactionCount({ address: operator, blockTag: 'pending' });
    const rpc = (method: string, params: unknown[]) => rival.public.request({ method, params } as never);
    const before = await pending();
    await rpc('evm_setAutomine', [false]);
    try {
      const signature = await signRegistration(owner, node.contracts.registry, 'race');
      const answer = server.request('POST', '/hydro/v1/hydro_id', { body: { hydro_id: 'race', address: owner.address, signature } });
      while ((await pending()) === before) await new Promise((resolve) => setTimeout(resolve, 20));
      // The rival claims the HydroID itself, paying more so the block holds its transaction first.
      const claimed = await rival.wallet.writeContract({
        address: node.contracts.registry, abi: registryAbi, functionName: 'register', args: ['race'],
        gas: 300_000n, maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 200_000_000_000n,
      });
      await rpc('evm_mine', []);
      const reverted = await answer;
      assert.deepEqual([reverted.status, reverted.body.code], [502, 'transaction_reverted'], JSON.stringify(reverted.body));
      assert.equal((await rival.public.waitForTransactionReceipt({ hash: claimed })).status, 'success');
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
  });

  it('answers 503 while the node cannot be reached', async () => {
    const stranded = await startServer({ hydroRpcUrl: 'http://127.0.0.1:9', hydroPrivateKey: NODE_KEYS[0], hydroContracts: node.contracts, hydroChainDir: null });
    try {
      const result = await stranded.request('POST', '/hydro/v1/whitelist', { body: { address: user.address } });
      assert.deepEqual([result.status, result.body.code], [503, 'chain_unavailable']);
    } finally {
      await stranded.close();
    }
  });

  it('leaves the embedded-only endpoints out', async () => {
    const faucet = await server.request('POST', '/hydro/v1/faucet', { body: { address: user.address } });
    assert.deepEqual([faucet.status, faucet.body.code], [404, 'not_embedded']);
    const rpc = await server.request('POST', '/hydro/v1/rpc', { body: { jsonrpc: '2.0', id: 1, method: 'eth_chainId' } });
    assert.equal(rpc.status, 404);
  });
});
