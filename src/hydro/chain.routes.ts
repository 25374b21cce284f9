import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import type { Hex } from 'viem';
import { errors } from '../platform/http/errors.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import type { Hydro } from './context.ts';
import { ContractsResponse, FaucetRequest, FaucetResponse, TransactionQuery, TransactionResponse } from './schemas.ts';

const FAUCET_ETHER = 10n ** 18n;
const FAUCET_HYDRO = 100n * 10n ** 18n;

/** What a wallet needs from a node to read, estimate, sign for and send transactions. */
const RELAYED_METHODS = new Set([
  'eth_chainId',
  'net_version',
  'eth_blockNumber',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBalance',
  'eth_getCode',
  'eth_getTransactionCount',
  'eth_getTransactionByHash',
  'eth_getTransactionReceipt',
  'eth_getLogs',
  'eth_call',
  'eth_estimateGas',
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_feeHistory',
  'eth_sendRawTransaction',
]);

const RpcRequest = {
  type: 'object',
  title: 'JsonRpcRequest',
  properties: {
    jsonrpc: { type: 'string', const: '2.0' },
    id: { type: ['integer', 'string', 'null'] },
    method: { type: 'string' },
    params: { type: 'array' },
  },
  required: ['jsonrpc', 'method'],
} as const;

const RpcAnswer = {
  type: 'object',
  title: 'JsonRpcResponse',
  description: 'The JSON-RPC 2.0 answer: jsonrpc, id, and result or error, as the node gave them',
  additionalProperties: true,
} as const;

async function requireEmbedded(hydro: Hydro) {
  const chain = await hydro.chain();
  if (!chain.embeddedRequest) throw errors.notEmbedded({ reason: 'Hydro runs on an external node (HYDRO_RPC_URL); use that node directly' });
  return chain;
}

export function chainRoutes(app: TypedRoutes, hydro: Hydro): void {
  app.get('/contracts', {
    schema: {
      tags: ['Hydro'],
      summary: 'The chain and the contracts Hydro uses',
      description: "Users answer challenges through the token, and register HydroIDs on the registry; `embedded` says whether the chain is reached through POST /rpc.",
      response: { 200: ContractsResponse, ...errorResponses },
    },
    handler: async () => {
      const chain = await hydro.chain();
      return {
        chain_id: chain.public.chain.id,
        embedded: chain.embedded,
        operator: chain.operator,
        hydro_token: chain.addresses.token,
        raindrop: chain.addresses.raindrop,
        hydro_id_registry: chain.addresses.registry,
      };
    },
  });

  app.get('/transaction', {
    schema: {
      tags: ['Hydro'],
      summary: 'Whether a transaction is mined with success',
      querystring: TransactionQuery,
      response: { 200: TransactionResponse, ...errorResponses },
    },
    handler: async (request) => {
      const hash = request.query.transaction_hash;
      const chain = await hydro.chain();
      const { TransactionReceiptNotFoundError } = await import('viem');
      try {
        const receipt = await chain.public.getTransactionReceipt({ hash });
        return { transaction_hash: hash, completed: receipt.status === 'success' };
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return { transaction_hash: hash, completed: false };
        throw error;
      }
    },
  });

  app.post('/faucet', {
    schema: {
      tags: ['Hydro'],
      summary: 'Fund an address with ether and HYDRO on the embedded chain',
      description: "The embedded chain's operator holds all of its ether and HYDRO; users need some of each to answer challenges. 404 on an external node.",
      body: FaucetRequest,
      response: { 200: FaucetResponse, ...errorResponses },
    },
    handler: async (request) => {
      const given = request.body.address;
      const { getAddress, isAddress } = await import('viem');
      if (!isAddress(given)) throw errors.invalidField({ field: 'address', problem: 'is not an Ethereum address' });
      const address = getAddress(given);
      const chain = await requireEmbedded(hydro);
      const etherHash = await chain.sendEther(address, FAUCET_ETHER);
      const { hash: hydroHash } = await chain.send(chain.addresses.token, chain.contracts.HydroToken.abi, 'transfer', [address, FAUCET_HYDRO]);
      return { address, ether: FAUCET_ETHER.toString(), hydro: FAUCET_HYDRO.toString(), transaction_hashes: [etherHash, hydroHash] };
    },
  });

  app.post('/rpc', {
    schema: {
      tags: ['Hydro'],
      summary: "The embedded chain's JSON-RPC, for users' wallets",
      description: `A single JSON-RPC 2.0 call among: ${[...RELAYED_METHODS].join(', ')}. Transactions must be signed by the wallet. 404 on an external node.`,
      body: RpcRequest,
      // The call's own failure is a JSON-RPC error in a 200; only the request's refusal is an error response.
      response: { 200: RpcAnswer, ...errorResponses },
    },
    config: { errors: [errors.notEmbedded] },
    handler: async (request) => {
      const { id = null, method, params = [] } = request.body;
      const chain = await requireEmbedded(hydro);
      if (!RELAYED_METHODS.has(method)) return { jsonrpc: '2.0', id, error: { code: -32601, message: `method ${method} is not available` } };
      const embedded = chain.embeddedRequest!;
      try {
        const result = await embedded({ method, params } as never);
        return { jsonrpc: '2.0', id, result: result ?? null };
      } catch (error) {
        // The node's own error, code and revert data included, is what a wallet needs to explain a failure.
        const { code, message, data } = error as { code?: number; message?: string; data?: unknown };
        return { jsonrpc: '2.0', id, error: { code: typeof code === 'number' ? code : -32603, message: message ?? 'internal error', ...(data !== undefined ? { data } : {}) } };
      }
    },
  });
}
