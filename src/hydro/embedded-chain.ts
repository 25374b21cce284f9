import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { generatePrivateKey } from 'viem/accounts';
import type { Address, EIP1193RequestFn, Hex } from 'viem';
import { EVM_VERSION } from './contracts.ts';
import { TransactionLog } from './transaction-log.ts';

export const EMBEDDED_CHAIN_ID = 31337;
const OPERATOR_BALANCE = 10n ** 24n;

interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

type CreateProvider = (config: Record<string, unknown>, logger: { enabled: boolean }) => Promise<Eip1193>;

/** What the chain directory keeps besides the log: who runs the chain and when it began. */
interface ChainIdentity {
  operatorKey: Hex;
  genesisTimestamp: number;
  contracts?: { token: Address; raindrop: Address; registry: Address; sourceHash: string };
}

export interface EmbeddedChain {
  request: EIP1193RequestFn;
  operatorKey: Hex;
  identity(): ChainIdentity;
  saveContracts(contracts: NonNullable<ChainIdentity['contracts']>): void;
}

function loadHardhat(): CreateProvider {
  // Hardhat 2 publishes no entry point for its in-process network; this module is what
  // `hardhat node` and `hre.network.provider` are built on.
  const require = createRequire(import.meta.url);
  return require('hardhat/internal/hardhat-network/provider/provider.js').createHardhatNetworkProvider as CreateProvider;
}

function readIdentity(file: string | null): ChainIdentity {
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ChainIdentity;
  const identity: ChainIdentity = { operatorKey: generatePrivateKey(), genesisTimestamp: Math.floor(Date.now() / 1000) };
  if (file) writeIdentity(file, identity);
  return identity;
}

function writeIdentity(file: string, identity: ChainIdentity): void {
  const partial = `${file}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(identity, null, 2), { mode: 0o600 });
  fs.renameSync(partial, file);
}

/**
 * In process, Hardhat throws a revert without the JSON-RPC code its HTTP server would add;
 * with code 3 and the revert data, clients decode the reason as they do from any node.
 */
function asRpcError(error: unknown): unknown {
  const { code, data, message } = error as { code?: unknown; data?: unknown; message?: string };
  if (typeof code === 'number' || data === undefined) return error;
  return Object.assign(new Error(message ?? 'execution reverted'), { code: 3, data });
}

/**
 * An in-process EVM (Hardhat's EDR) that mines each transaction as it arrives. With a
 * directory it survives restarts: every mined transaction is appended to a log there and the
 * log is replayed, at the recorded timestamps, when the chain starts again. Every transaction,
 * from the operator's key or relayed from a user, must enter through `request` so it is logged.
 */
export async function startEmbeddedChain(dir: string | null): Promise<EmbeddedChain> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const identityFile = dir ? path.join(dir, 'chain.json') : null;
  const identity = readIdentity(identityFile);
  const log = dir ? new TransactionLog(path.join(dir, 'transactions.jsonl')) : null;

  const provider = await loadHardhat()(
    {
      hardfork: EVM_VERSION,
      chainId: EMBEDDED_CHAIN_ID,
      networkId: EMBEDDED_CHAIN_ID,
      blockGasLimit: 30_000_000,
      minGasPrice: 0n,
      initialBaseFeePerGas: 0,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: new Map(),
      genesisAccounts: [{ privateKey: identity.operatorKey, balance: OPERATOR_BALANCE }],
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: false,
      throwOnCallFailures: true,
      // Several transactions a second are the norm here; the chain clock must not run ahead of
      // the wall clock to give each its own second.
      allowBlocksWithSameTimestamp: true,
      initialDate: new Date(identity.genesisTimestamp * 1000),
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  );

  let lastTimestamp = identity.genesisTimestamp;
  for (const entry of log?.read() ?? []) {
    await provider.request({ method: 'evm_setNextBlockTimestamp', params: [entry.timestamp] });
    await provider.request({ method: 'eth_sendRawTransaction', params: [entry.raw] });
    lastTimestamp = entry.timestamp;
  }

  // One transaction is mined at a time so the log's order is the chain's.
  let queue: Promise<unknown> = Promise.resolve();
  async function mine(raw: Hex): Promise<Hex> {
    const timestamp = Math.max(lastTimestamp, Math.floor(Date.now() / 1000));
    await provider.request({ method: 'evm_setNextBlockTimestamp', params: [timestamp] });
    const hash = (await provider.request({ method: 'eth_sendRawTransaction', params: [raw] })) as Hex;
    const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] });
    if (!receipt) {
      // Held back for a nonce gap, it would be mined later at a time the log cannot know.
      await provider.request({ method: 'hardhat_dropTransaction', params: [hash] });
      throw Object.assign(new Error('nonce too high: the transaction was not mined'), { code: -32000 });
    }
    lastTimestamp = timestamp;
    log?.append({ raw, timestamp });
    return hash;
  }

  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    if (method === 'eth_sendRawTransaction') {
      const raw = (params as [Hex])[0];
      const result = queue.then(() => mine(raw)).catch((error: unknown) => {
        throw asRpcError(error);
      });
      queue = result.catch(() => undefined);
      return result;
    }
    try {
      return await provider.request({ method, params: params as unknown[] | undefined });
    } catch (error) {
      throw asRpcError(error);
    }
  }) as EIP1193RequestFn;

  return {
    request,
    operatorKey: identity.operatorKey,
    identity: () => identity,
    saveContracts(contracts) {
      identity.contracts = contracts;
      if (identityFile) writeIdentity(identityFile, identity);
    },
  };
}

