import { createPublicClient, createWalletClient, defineChain, http, parseAbi, type Address, type Hex, type PublicClient, type Transport, type Chain, type WalletClient, type Account } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

export const tokenAbi = parseAbi([
  'function authenticate(uint256 value, uint256 challenge, uint256 partnerId)',
  'function balanceOf(address) view returns (uint256)',
  'function transfer(address to, uint256 value) returns (bool)',
]);
export const raindropAbi = parseAbi([
  'function whitelisted(uint256 partnerId, address user) view returns (bool)',
  'function challenges(uint256 partnerId, address user) view returns (uint256 value, uint256 challenge, uint64 timestamp, uint64 blockNumber)',
  'function authentications(uint256 partnerId, address user) view returns (uint256 value, uint256 challenge, uint64 timestamp, uint64 blockNumber)',
]);
export const registryAbi = parseAbi([
  'function register(string hydroId)',
  'function registerFor(string hydroId, address owner, bytes signature)',
  'function registrationHash(string hydroId, address owner) view returns (bytes32)',
  'function addressOf(string hydroId) view returns (address)',
]);

export interface Contracts {
  chain_id: number;
  embedded: boolean;
  operator: Address;
  hydro_token: Address;
  raindrop: Address;
  hydro_id_registry: Address;
}

/** A user's wallet, as a device would hold it, talking to the chain over JSON-RPC. */
export interface UserWallet {
  address: Address;
  key: Hex;
  public: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  contracts: Contracts;
}

/** A wallet on the chain Hydro uses: the embedded chain through POST /hydro/v1/rpc, or `rpcUrl`. */
export async function userWallet(server: { url: string; adminToken(): Promise<string> }, options: { key?: Hex; rpcUrl?: string } = {}): Promise<UserWallet> {
  const authorization = `Bearer ${await server.adminToken()}`;
  const contracts = (await (await fetch(`${server.url}/hydro/v1/contracts`, { headers: { authorization } })).json()) as Contracts;
  const url = options.rpcUrl ?? `${server.url}/hydro/v1/rpc`;
  const transport = http(url, { retryCount: 0, fetchOptions: { headers: options.rpcUrl ? {} : { authorization } } });
  const chain = defineChain({ id: contracts.chain_id, name: 'test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const key = options.key ?? generatePrivateKey();
  const account = privateKeyToAccount(key);
  return {
    address: account.address,
    key,
    public: createPublicClient({ chain, transport, pollingInterval: 5, cacheTime: 0 }),
    wallet: createWalletClient({ chain, transport, account, pollingInterval: 5, cacheTime: 0 }),
    contracts,
  };
}

/** Calls the token's authenticate from the user's address; returns the mined receipt's status. */
export async function answerChallenge(user: UserWallet, amount: bigint | number, challenge: bigint | string, partnerId: bigint | number): Promise<'success' | 'reverted'> {
  const hash = await user.wallet.writeContract({
    address: user.contracts.hydro_token,
    abi: tokenAbi,
    functionName: 'authenticate',
    args: [BigInt(amount), BigInt(challenge), BigInt(partnerId)],
    // A fixed limit, so a call bound to revert is still sent and mined rather than refused by estimation.
    gas: 200_000n,
  });
  return (await user.public.waitForTransactionReceipt({ hash, pollingInterval: 5 })).status;
}
