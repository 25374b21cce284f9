import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
  type Chain,
  type Account,
  type EIP1193RequestFn,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { RevertedTransactionError } from './chain-errors.ts';
import { timeChainCall } from '../platform/metrics/process-metrics.ts';
import type { CompiledContracts } from './contracts.ts';

export interface ContractAddresses {
  token: Address;
  raindrop: Address;
  registry: Address;
}

/** Where a chain handle points before its contracts are deployed. */
export const NOT_DEPLOYED: ContractAddresses = { token: '0x', raindrop: '0x', registry: '0x' };

/**
 * The chain as Hydro uses it: viem clients for one operator key (the partner's), and the
 * three contracts. Transactions from the key are sent one at a time with locally counted
 * nonces, so concurrent requests never race for a nonce.
 */
export class HydroChain {
  readonly public: PublicClient<Transport, Chain>;
  readonly wallet: WalletClient<Transport, Chain, Account>;
  private nonce: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    transport: Transport,
    chain: Chain,
    operatorKey: Hex,
    readonly contracts: CompiledContracts,
    public addresses: ContractAddresses,
    /** The in-process chain's own JSON-RPC, which users can reach only through the API; null for a node. */
    readonly embeddedRequest: EIP1193RequestFn | null,
  ) {
    const account = privateKeyToAccount(operatorKey);
    const counted = measured(transport);
    // The embedded chain answers in microseconds, a node on loopback in milliseconds: poll often, never cache.
    this.public = createPublicClient({ chain, transport: counted, pollingInterval: 5, cacheTime: 0 });
    this.wallet = createWalletClient({ chain, transport: counted, account, pollingInterval: 5, cacheTime: 0 });
  }

  get embedded(): boolean {
    return this.embeddedRequest !== null;
  }

  get operator(): Address {
    return this.wallet.account.address;
  }

  /** Calls a contract from the operator key and waits until the transaction is mined with success. */
  async send(to: Address, abi: Abi, functionName: string, args: unknown[]): Promise<{ hash: Hex; receipt: TransactionReceipt }> {
    const hash = await this.submit((nonce) =>
      this.wallet.writeContract({ address: to, abi, functionName, args, nonce } as Parameters<typeof this.wallet.writeContract>[0]),
    );
    return { hash, receipt: await this.mined(hash) };
  }

  /** Sends ether from the operator key, for gas. */
  async sendEther(to: Address, value: bigint): Promise<Hex> {
    const hash = await this.submit((nonce) => this.wallet.sendTransaction({ to, value, nonce }));
    await this.mined(hash);
    return hash;
  }

  async mined(hash: Hex): Promise<TransactionReceipt> {
    const receipt = await this.public.waitForTransactionReceipt({ hash, pollingInterval: this.embedded ? 1 : 50 });
    if (receipt.status !== 'success') throw new RevertedTransactionError(hash);
    return receipt;
  }

  private submit(sign: (nonce: number) => Promise<Hex>): Promise<Hex> {
    const result = this.queue.then(async () => {
      this.nonce ??= await this.public.getTransactionCount({ address: this.operator, blockTag: 'pending' });
      try {
        const hash = await sign(this.nonce);
        this.nonce += 1;
        return hash;
      } catch (error) {
        // The node's count is the truth after anything unexpected, such as another user of the key.
        this.nonce = undefined;
        throw error;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Deploys the token, the Raindrop contract and the registry from the operator key. */
  async deploy(): Promise<ContractAddresses> {
    const { HydroToken, Raindrop, HydroIdRegistry } = this.contracts;
    const supply = 10n ** 9n * 10n ** 18n;
    const token = await this.deployOne(HydroToken.abi, HydroToken.bytecode, [supply]);
    const raindrop = await this.deployOne(Raindrop.abi, Raindrop.bytecode, [token]);
    const registry = await this.deployOne(HydroIdRegistry.abi, HydroIdRegistry.bytecode, []);
    await this.send(token, HydroToken.abi, 'setRaindrop', [raindrop]);
    this.addresses = { token, raindrop, registry };
    return this.addresses;
  }

  private async deployOne(abi: Abi, bytecode: Hex, args: unknown[]): Promise<Address> {
    const hash = await this.submit((nonce) => this.wallet.deployContract({ abi, bytecode, args, nonce } as Parameters<typeof this.wallet.deployContract>[0]));
    const receipt = await this.mined(hash);
    if (!receipt.contractAddress) throw new RevertedTransactionError(hash);
    return receipt.contractAddress;
  }
}

/** Counts and times every JSON-RPC call made through `transport`, for the metrics. */
function measured(transport: Transport): Transport {
  return (options) => {
    const made = transport(options);
    const request: EIP1193RequestFn = (args, callOptions) => timeChainCall(args.method, () => made.request(args, callOptions));
    return { ...made, request };
  };
}

export function chainDefinition(id: number, rpcUrl: string): Chain {
  return defineChain({
    id,
    name: id === 31337 ? 'Deuterium embedded chain' : `chain ${id}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export function rpcTransport(url: string): Transport {
  return http(url, { retryCount: 0, timeout: 10_000 });
}

export function requestTransport(request: Parameters<typeof custom>[0]['request']): Transport {
  return custom({ request }, { retryCount: 0 });
}
